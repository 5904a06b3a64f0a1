namespace Etl.Connectors.Kafka;

/// <summary>The checkpointed position of one partition.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="NextOffset">The offset of the next record to read (last emitted + 1).</param>
/// <param name="MaxTimestamp">The largest event timestamp emitted from it (Unix ms), or long.MinValue if none.</param>
public sealed record KafkaPartitionState(string Topic, int Partition, long NextOffset, long MaxTimestamp);
