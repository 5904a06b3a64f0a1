namespace Etl.Samples.OrderTotals.Configuration;

/// <summary>Etl:Window. <see cref="Slide"/> is for sliding windows, <see cref="Gap"/> for session windows.</summary>
internal sealed record WindowSettings
{
    public WindowKind Kind { get; init; } = WindowKind.Tumbling;

    public TimeSpan Size { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan Slide { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Gap { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan OutOfOrderness { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan AllowedLateness { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How often the source re-evaluates and emits its watermark (Flink's auto-watermark interval, 200 ms). A window
    /// fires up to this much later than its records allow; lower it for latency, at the cost of more watermark elements.
    /// </summary>
    public TimeSpan WatermarkInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// An order whose event time is further than this ahead of the wall clock is a dead letter (<c>event-time-ahead</c>),
    /// not an order: one absurd timestamp would otherwise move the checkpointed watermark there for good.
    /// </summary>
    public TimeSpan MaxEventTimeAhead { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Null: partitions never go idle (Flink's default).</summary>
    public TimeSpan? IdleTimeout { get; init; }
}
