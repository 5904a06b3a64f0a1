using Etl.Connectors.Kafka;

namespace Etl.Samples.OrderTotals.Orders;

/// <summary>The Kafka source's deserializer: a rejected record becomes a dead letter with the parser's reason.</summary>
internal sealed class OrderDeserializer : IRecordDeserializer<Order>
{
    public Order Deserialize(ReadOnlySpan<byte> value, bool isNull) =>
        isNull ? throw new OrderFormatException("malformed JSON: the record value is null (a tombstone)") : OrderJson.Parse(value);
}
