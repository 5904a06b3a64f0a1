namespace Etl.Connectors.Kafka;

/// <summary>
/// Where a partition starts when the job has no checkpoint to restore (a checkpoint always wins).
/// Partitions discovered while the job runs always start at the earliest offset.
/// </summary>
public sealed record KafkaStartPosition
{
    private KafkaStartPosition(KafkaStartPositionKind kind, long timestampMs)
    {
        Kind = kind;
        TimestampMs = timestampMs;
    }

    public KafkaStartPositionKind Kind { get; }

    /// <summary>For <see cref="KafkaStartPositionKind.Timestamp"/>: Unix milliseconds.</summary>
    public long TimestampMs { get; }

    /// <summary>The oldest offset still in the partition.</summary>
    public static KafkaStartPosition Earliest { get; } = new(KafkaStartPositionKind.Earliest, 0);

    /// <summary>The end of the partition when the job starts: only records produced afterwards.</summary>
    public static KafkaStartPosition Latest { get; } = new(KafkaStartPositionKind.Latest, 0);

    /// <summary>The consumer group's committed offsets; partitions without one start at the earliest offset.</summary>
    public static KafkaStartPosition GroupOffsets { get; } = new(KafkaStartPositionKind.GroupOffsets, 0);

    /// <summary>The first record whose Kafka timestamp is at or after <paramref name="timestamp"/>.</summary>
    public static KafkaStartPosition Timestamp(DateTimeOffset timestamp) =>
        new(KafkaStartPositionKind.Timestamp, timestamp.ToUnixTimeMilliseconds());

    public override string ToString() => Kind == KafkaStartPositionKind.Timestamp
        ? $"Timestamp({DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs):O})"
        : Kind.ToString();
}
