namespace Etl.Pipeline;

/// <summary>
/// Event-time progress: no record with a timestamp at or below <see cref="Timestamp"/> is expected
/// any more. Timestamps are milliseconds since the Unix epoch, as everywhere in the pipeline.
/// </summary>
public readonly record struct Watermark(long Timestamp) : IComparable<Watermark>
{
    /// <summary>No event time has been seen yet.</summary>
    public static Watermark Min => new(long.MinValue);

    /// <summary>End of input: every window may fire.</summary>
    public static Watermark Max => new(long.MaxValue);

    public int CompareTo(Watermark other) => Timestamp.CompareTo(other.Timestamp);

    public static bool operator <(Watermark left, Watermark right) => left.Timestamp < right.Timestamp;

    public static bool operator >(Watermark left, Watermark right) => left.Timestamp > right.Timestamp;

    public static bool operator <=(Watermark left, Watermark right) => left.Timestamp <= right.Timestamp;

    public static bool operator >=(Watermark left, Watermark right) => left.Timestamp >= right.Timestamp;
}
