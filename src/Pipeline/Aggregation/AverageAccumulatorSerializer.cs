namespace Etl.Pipeline.Aggregation;

internal sealed class AverageAccumulatorSerializer : IStateSerializer<AverageAccumulator>
{
    public void Write(BinaryWriter writer, AverageAccumulator value)
    {
        writer.Write(value.Sum);
        writer.Write(value.Count);
    }

    public AverageAccumulator Read(BinaryReader reader) => new(reader.ReadDecimal(), reader.ReadInt64());
}
