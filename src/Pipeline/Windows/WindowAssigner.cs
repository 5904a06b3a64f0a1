namespace Etl.Pipeline.Windows;

/// <summary>
/// Which event-time windows a record belongs to. Windows are half-open, [start, end), in Unix
/// milliseconds; a result carries the timestamp end - 1.
/// </summary>
public abstract record WindowAssigner
{
    private protected WindowAssigner()
    {
    }

    /// <summary>Fixed, non-overlapping windows of <paramref name="size"/>, shifted by <paramref name="offset"/>.</summary>
    public static TumblingWindows Tumbling(TimeSpan size, TimeSpan offset = default) => new(size, offset);

    /// <summary>Windows of <paramref name="size"/> that start every <paramref name="slide"/>; a record is in size/slide of them.</summary>
    public static SlidingWindows Sliding(TimeSpan size, TimeSpan slide, TimeSpan offset = default) => new(size, slide, offset);

    /// <summary>Per-key sessions that close after <paramref name="gap"/> without records.</summary>
    public static SessionWindows Session(TimeSpan gap) => new(gap);

    /// <summary>Throws with a message that names the bad setting.</summary>
    public abstract void Validate();

    private protected static long Milliseconds(TimeSpan value, string setting, bool mayBeZero = false)
    {
        if (value.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentException($"{setting} must be a whole number of milliseconds, got {value}.", setting);
        }

        var ms = value.Ticks / TimeSpan.TicksPerMillisecond;
        if (ms < 0 || (ms == 0 && !mayBeZero))
        {
            throw new ArgumentOutOfRangeException(setting, value, $"{setting} must be {(mayBeZero ? "zero or more" : "positive")}, got {value}.");
        }

        return ms;
    }
}
