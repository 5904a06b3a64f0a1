using Microsoft.Extensions.Logging;

namespace Etl.Connectors.Kafka;

/// <summary>
/// The one rule for a position outside a partition's log [low, high] (see <see cref="KafkaOffsetOutOfRange"/>):
/// fail with everything an operator needs to decide, or, where the options accept the gap, say where reading
/// continues, log it and count it.
/// </summary>
internal static class KafkaOffsetRange
{
    public static bool Contains(long offset, long low, long high) => offset >= low && offset <= high;

    /// <summary>The offset to continue at; throws <see cref="KafkaOffsetOutOfRangeException"/> under <see cref="KafkaOffsetOutOfRange.Fail"/>.</summary>
    /// <param name="what">"checkpointed offset" at restore, "read position" while running.</param>
    public static long Resolve(string topic, int partition, long offset, long low, long high, KafkaOffsetOutOfRange policy, string what, ILogger logger)
    {
        var next = policy switch
        {
            KafkaOffsetOutOfRange.ResetToEarliest => low,
            KafkaOffsetOutOfRange.ResetToLatest => high,
            _ => throw new KafkaOffsetOutOfRangeException(topic, partition, offset, low, high,
                $"Kafka partition {topic}/{partition}: the {what} {offset} is outside the partition's log [{low}, {high}] (OffsetOutOfRange). "
                + (offset < low
                    ? $"Records {offset} to {low - 1} were deleted (retention or DeleteRecords) before they were read: continuing would lose them. "
                    : "The topic was deleted and recreated, or its log was truncated: its offsets no longer match the checkpoint. ")
                + "Restore an older checkpoint that is still in range, or accept the gap explicitly with KafkaSourceOptions.OffsetOutOfRange "
                + "(Etl:Kafka:OffsetOutOfRange = reset-to-earliest or reset-to-latest)."),
        };
        logger.OffsetOutOfRangeReset(topic, partition, offset, low, high, next, policy, next - offset);
        KafkaSourceMetrics.OffsetResets.Add(1);
        return next;
    }
}
