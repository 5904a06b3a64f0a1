using Etl.Pipeline.Aggregation;

namespace Etl.Samples.OrderTotals.Orders;

/// <summary>Sum of amounts and count of orders per window, in exact decimals.</summary>
internal sealed class OrderTotalAggregate : IAggregate<Order, OrderTotal, OrderTotal>, IStateSerializer<OrderTotal>
{
    public IStateSerializer<OrderTotal> AccumulatorSerializer => this;

    public OrderTotal CreateAccumulator() => default;

    public void Add(ref OrderTotal accumulator, Order value)
    {
        ArgumentNullException.ThrowIfNull(value);
        accumulator = new OrderTotal(accumulator.Total + value.Amount, accumulator.Count + 1);
    }

    public void Merge(ref OrderTotal target, OrderTotal other) =>
        target = new OrderTotal(target.Total + other.Total, target.Count + other.Count);

    public OrderTotal GetResult(OrderTotal accumulator) => accumulator;

    // Layout (stable across versions): decimal total (16 bytes, BinaryWriter layout), then int64 count.
    public void Write(BinaryWriter writer, OrderTotal value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(value.Total);
        writer.Write(value.Count);
    }

    public OrderTotal Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new OrderTotal(reader.ReadDecimal(), reader.ReadInt64());
    }
}
