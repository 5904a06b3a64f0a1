namespace Etl.Connectors.Kafka;

/// <summary>
/// Event time of a Kafka source: per-partition watermarks with bounded out-of-orderness
/// (watermark = max timestamp seen - <see cref="OutOfOrderness"/> - 1 ms); the subtask's watermark is the
/// minimum over its partitions that are not idle.
/// </summary>
public sealed record KafkaWatermarkOptions
{
    /// <summary>How late (in event time) a record may arrive behind the newest one of its partition. Default 0.</summary>
    public TimeSpan OutOfOrderness { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// A partition that has delivered nothing for this long (wall clock) stops holding the watermark back
    /// until it delivers again. Null (the default) means partitions never go idle.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// How often (on <c>OperatorContext.Time</c>) the watermark and idleness are evaluated, as Flink's
    /// auto-watermark interval. Default 200 ms.
    /// </summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Records whose event time is more than this ahead of the wall clock (<c>OperatorContext.Time</c>) become dead
    /// letters with reason <c>event-time-ahead</c> instead of moving the watermark: one absurd timestamp would otherwise
    /// push the (checkpointed) watermark into the future for good and make every later record late. Null (the
    /// default) sets no bound.
    /// </summary>
    public TimeSpan? MaxEventTimeAhead { get; init; }

    internal void Validate()
    {
        if (Interval <= TimeSpan.Zero || Interval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException(
                $"KafkaSourceOptions.Watermarks.Interval must be positive and at most 1 min (was {Interval}).", nameof(Interval));
        }

        if (OutOfOrderness < TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"KafkaSourceOptions.Watermarks.OutOfOrderness must not be negative (was {OutOfOrderness}).", nameof(OutOfOrderness));
        }

        if (MaxEventTimeAhead is { } ahead && ahead <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"KafkaSourceOptions.Watermarks.MaxEventTimeAhead must be positive, or null for no bound (was {ahead}).", nameof(MaxEventTimeAhead));
        }

        if (IdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"KafkaSourceOptions.Watermarks.IdleTimeout must be positive, or null to never mark partitions idle (was {idle}).", nameof(IdleTimeout));
        }
    }
}
