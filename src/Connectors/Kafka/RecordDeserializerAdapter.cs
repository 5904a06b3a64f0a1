using Confluent.Kafka;

namespace Etl.Connectors.Kafka;

/// <summary>Runs an <see cref="IRecordDeserializer{T}"/> inside Confluent.Kafka's consume call, over its native buffer.</summary>
internal sealed class RecordDeserializerAdapter<T>(IRecordDeserializer<T> inner) : IDeserializer<T>
{
    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => inner.Deserialize(data, isNull);
}
