using Etl.Pipeline.State;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Which subtask reads which partition: partition p goes to subtask p mod parallelism (<see cref="SubtaskOwnership"/>), whatever the topic
/// (a fixed rule, so every subtask decides alone and a restore with another parallelism agrees with it).
/// </summary>
internal static class KafkaPartitionAssignment
{
    public static int OwnerOf(int partition, int parallelism)
    {
        return SubtaskOwnership.OwnerOf(partition, parallelism);
    }

    public static bool IsOwnedBy(int partition, int subtaskIndex, int parallelism) =>
        OwnerOf(partition, parallelism) == subtaskIndex;

    /// <summary>
    /// From the union of every old subtask's state, the partitions this subtask owns now. A partition found in
    /// two old states (which a correct run never writes) keeps the furthest position, so nothing is read twice.
    /// </summary>
    public static IReadOnlyList<KafkaPartitionState> Select(
        IEnumerable<KafkaSourceState> oldStates, int subtaskIndex, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(oldStates);
        var mine = new Dictionary<(string Topic, int Partition), KafkaPartitionState>();
        foreach (var state in oldStates)
        {
            foreach (var partition in state.Partitions)
            {
                if (!IsOwnedBy(partition.Partition, subtaskIndex, parallelism))
                {
                    continue;
                }

                var key = (partition.Topic, partition.Partition);
                if (!mine.TryGetValue(key, out var seen) || partition.NextOffset > seen.NextOffset)
                {
                    mine[key] = partition;
                }
            }
        }

        return [.. mine.Values.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)];
    }
}
