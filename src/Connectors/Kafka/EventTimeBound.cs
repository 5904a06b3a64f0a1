using System.Globalization;

namespace Etl.Connectors.Kafka;

/// <summary>
/// The latest event time a source subtask accepts: wall clock + <see cref="KafkaWatermarkOptions.MaxEventTimeAhead"/>.
/// One record stamped far in the future would otherwise move its partition's watermark there for good (it is
/// checkpointed), and every later record would be late. Refreshed once per poll, so a record costs a comparison.
/// </summary>
internal sealed class EventTimeBound(TimeSpan? maxAhead)
{
    private readonly long _maxAheadMs = maxAhead is { } ahead ? (long)ahead.TotalMilliseconds : long.MaxValue;

    /// <summary>The latest accepted event time (Unix ms); long.MaxValue without a bound.</summary>
    public long Limit { get; private set; } = long.MaxValue;

    public void Refresh(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        Limit = _maxAheadMs > long.MaxValue - nowMs ? long.MaxValue : nowMs + _maxAheadMs;
    }

    /// <summary>Throws <see cref="EventTimeAheadException"/> when <paramref name="eventTime"/> is past <see cref="Limit"/>.</summary>
    public void Check(long eventTime)
    {
        if (eventTime > Limit)
        {
            throw new EventTimeAheadException(Describe(eventTime, Limit, maxAhead));
        }
    }

    internal static string Describe(long eventTime, long limit, TimeSpan? maxAhead) =>
        $"event time {Describe(eventTime)} is more than {maxAhead} ahead of the wall clock (latest accepted: {Describe(limit)}; " +
        "raise MaxEventTimeAhead if such timestamps are real)";

    internal static string Describe(long unixMs) =>
        unixMs is >= -62_135_596_800_000 and <= 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : unixMs.ToString(CultureInfo.InvariantCulture) + " ms";
}
