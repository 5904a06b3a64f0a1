namespace Etl.DevServices.Kafka;

/// <summary>
/// One request a mock broker received: the broker, the Kafka API key (0 Produce, 1 Fetch, 2 ListOffsets,
/// 3 Metadata, 8 OffsetCommit, 9 OffsetFetch, ...) and when, in microseconds of librdkafka's monotonic clock
/// (comparable only with each other).
/// </summary>
public sealed record MockKafkaRequest(int BrokerId, short ApiKey, long TimestampMicroseconds)
{
    public const short Produce = 0;

    public const short Fetch = 1;

    public const short OffsetCommit = 8;
}
