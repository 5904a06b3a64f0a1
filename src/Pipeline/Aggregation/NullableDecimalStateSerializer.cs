namespace Etl.Pipeline.Aggregation;

internal sealed class NullableDecimalStateSerializer : IStateSerializer<decimal?>
{
    public void Write(BinaryWriter writer, decimal? value)
    {
        writer.Write(value.HasValue);
        if (value is { } present)
        {
            writer.Write(present);
        }
    }

    public decimal? Read(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadDecimal() : null;
}
