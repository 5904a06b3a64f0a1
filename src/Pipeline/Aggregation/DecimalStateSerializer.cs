namespace Etl.Pipeline.Aggregation;

internal sealed class DecimalStateSerializer : IStateSerializer<decimal>
{
    public void Write(BinaryWriter writer, decimal value) => writer.Write(value);

    public decimal Read(BinaryReader reader) => reader.ReadDecimal();
}
