namespace Etl.Pipeline.Aggregation;

internal sealed class Int64StateSerializer : IStateSerializer<long>
{
    public void Write(BinaryWriter writer, long value) => writer.Write(value);

    public long Read(BinaryReader reader) => reader.ReadInt64();
}
