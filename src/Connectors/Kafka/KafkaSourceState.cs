namespace Etl.Connectors.Kafka;

/// <summary>A Kafka source subtask's operator state: the positions of the partitions it owned.</summary>
/// <param name="Version">Layout version; <see cref="CurrentVersion"/> when written by this code.</param>
/// <param name="Partitions">One entry per owned partition.</param>
internal sealed record KafkaSourceState(int Version, IReadOnlyList<KafkaPartitionState> Partitions)
{
    public const int CurrentVersion = 1;
}
