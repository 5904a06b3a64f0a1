using Confluent.Kafka;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Runs an <see cref="IRecordDeserializer{T}"/> inside Confluent.Kafka's consume call, over its native buffer, and
/// checks the extracted event time against <paramref name="bound"/> there: a record it refuses becomes a dead letter
/// with its raw key and value, before its timestamp can reach the partition's watermark.
/// </summary>
internal sealed class RecordDeserializerAdapter<T>(IRecordDeserializer<T> inner, Func<T, long>? eventTime, EventTimeBound bound) : IDeserializer<T>
{
    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        var value = inner.Deserialize(data, isNull);
        if (eventTime is not null)
        {
            bound.Check(eventTime(value));
        }

        return value;
    }
}
