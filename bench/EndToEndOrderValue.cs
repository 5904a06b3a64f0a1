using Confluent.Kafka;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Bench;

/// <summary>The job's order parser as a Confluent.Kafka deserializer, for the bare loop (null for a malformed record).</summary>
internal sealed class EndToEndOrderValue : IDeserializer<Order?>
{
    private readonly OrderDeserializer _parser = new();

    public Order? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        try
        {
            return _parser.Deserialize(data, isNull);
        }
        catch (OrderFormatException)
        {
            return null;
        }
    }
}
