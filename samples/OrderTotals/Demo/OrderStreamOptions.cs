namespace Etl.Samples.OrderTotals.Demo;

/// <summary>Shape of a generated order stream. The same options and seed give the same records, byte for byte.</summary>
internal sealed record OrderStreamOptions
{
    public int Count { get; init; } = 20_000;

    public int Seed { get; init; } = 42;

    public int Customers { get; init; } = 200;

    public int Partitions { get; init; } = 4;

    /// <summary>Event time of the first order.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Event time between consecutive orders of the stream.</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How far an on-time order may lag the stream; keep it below the job's out-of-orderness.</summary>
    public TimeSpan Jitter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How far behind the stream a late-prone order is.</summary>
    public TimeSpan LateBy { get; init; } = TimeSpan.FromMinutes(5);

    public double LateFraction { get; init; } = 0.01;

    public double MalformedFraction { get; init; } = 0.01;

    /// <summary>
    /// Share of hostile records (<see cref="OrderStream"/>): NUL, invalid UTF-8, lone surrogates, absurd numbers and
    /// timestamps that the parser or the event-time bound must dead-letter, and valid orders of extreme amounts or with
    /// hostile unknown properties. None by default, so that a seed gives the same stream as before they existed.
    /// </summary>
    public double HostileFraction { get; init; }

    /// <summary>
    /// A stream shaped for a job's window settings: on-time jitter within the out-of-orderness, late-prone
    /// orders far enough behind to be past any window's allowed lateness once the partitions caught up.
    /// </summary>
    public static OrderStreamOptions ForJob(Configuration.WindowSettings window, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(window);
        var span = window.Kind == Configuration.WindowKind.Session ? window.Gap : window.Size;
        return new OrderStreamOptions
        {
            Count = count,
            Seed = seed,
            Jitter = TimeSpan.FromMilliseconds(Math.Min(3_000, window.OutOfOrderness.TotalMilliseconds / 2)),
            LateBy = (2 * span) + window.AllowedLateness + window.OutOfOrderness,
        };
    }

    /// <summary>Throws naming the bad setting; <paramref name="outOfOrderness"/> is the job's.</summary>
    public void Validate(TimeSpan outOfOrderness)
    {
        if (Count < 0 || Customers < 1 || Partitions < 1)
        {
            throw new ArgumentException("Count must not be negative; Customers and Partitions must be positive.");
        }

        if (Jitter >= outOfOrderness && Jitter > TimeSpan.Zero)
        {
            throw new ArgumentException($"Jitter ({Jitter}) must be below the job's out-of-orderness ({outOfOrderness}), or on-time orders could be late.");
        }

        if (LateFraction is < 0 or > 1 || MalformedFraction is < 0 or > 1 || HostileFraction is < 0 or > 1 || LateFraction + MalformedFraction + HostileFraction > 1)
        {
            throw new ArgumentException("LateFraction, MalformedFraction and HostileFraction must be between 0 and 1 and add up to at most 1.");
        }
    }
}
