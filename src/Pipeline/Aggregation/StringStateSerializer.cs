namespace Etl.Pipeline.Aggregation;

internal sealed class StringStateSerializer : IStateSerializer<string>
{
    public void Write(BinaryWriter writer, string value) => writer.Write(value);

    public string Read(BinaryReader reader) => reader.ReadString();
}
