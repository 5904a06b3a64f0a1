namespace Etl.Pipeline.Windows;

/// <summary>Event-time arithmetic that saturates instead of overflowing near the ends of time.</summary>
internal static class EventTime
{
    public static long Add(long timestamp, long duration)
    {
        var sum = timestamp + duration;
        // Overflow only when both operands share a sign that the sum lost.
        return ((timestamp ^ sum) & (duration ^ sum)) < 0 ? (duration > 0 ? long.MaxValue : long.MinValue) : sum;
    }

    /// <summary>The non-negative remainder, also for timestamps before 1970.</summary>
    public static long Mod(long value, long divisor)
    {
        var r = value % divisor;
        return r < 0 ? r + divisor : r;
    }
}
