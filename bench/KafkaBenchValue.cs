using System.Buffers.Binary;
using Confluent.Kafka;
using Etl.Connectors.Kafka;

namespace Etl.Bench;

/// <summary>The benchmark's deserializer: reads the record number from the first 8 bytes (a value type, no copy).</summary>
internal sealed class KafkaBenchValue : IRecordDeserializer<long>, IDeserializer<long>
{
    public long Deserialize(ReadOnlySpan<byte> value, bool isNull) => BinaryPrimitives.ReadInt64LittleEndian(value);

    public long Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => Deserialize(data, isNull);
}
