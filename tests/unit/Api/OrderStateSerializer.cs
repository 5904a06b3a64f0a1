using Etl.Pipeline.Aggregation;

namespace Etl.Tests.Unit.Api;

public sealed class OrderStateSerializer : IStateSerializer<Order>
{
    public void Write(BinaryWriter writer, Order value)
    {
        writer.Write(value.Customer);
        writer.Write(value.Amount);
    }

    public Order Read(BinaryReader reader) => new(reader.ReadString(), reader.ReadDecimal());
}
