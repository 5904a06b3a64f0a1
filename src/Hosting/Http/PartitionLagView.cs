namespace Etl.Hosting.Http;

/// <summary>
/// Kafka lag of one partition: <paramref name="CheckpointLag"/> is the end of the partition minus the offset of the
/// last completed checkpoint (etl.kafka.consumer_lag), <paramref name="ReadLag"/> the client's own lag behind the
/// end (etl.kafka.client.consumer_lag); null when not measured yet.
/// </summary>
internal sealed record PartitionLagView(string Topic, int Partition, long? CheckpointLag, long? ReadLag);
