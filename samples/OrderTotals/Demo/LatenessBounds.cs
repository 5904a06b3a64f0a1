using Etl.Samples.OrderTotals.Configuration;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>
/// Which orders the pipeline may legitimately send to the late output. Whether a record is late depends
/// on how the partitions' reads interleave (the watermark is the minimum over partitions), which no
/// reference can know; but it is bounded: when a record of partition p arrives, the window operator's
/// watermark is at most p's watermark from the records before it (max timestamp - out-of-orderness - 1),
/// and at most the smallest final watermark of any partition. A record is "possibly late" when one of its
/// windows is past the allowed lateness under that bound; every other record must be counted.
/// </summary>
internal static class LatenessBounds
{
    public static IReadOnlySet<string> PossiblyLate(IReadOnlyList<GeneratedOrder> records, WindowSettings window, int partitions)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(window);
        var ooo = (long)window.OutOfOrderness.TotalMilliseconds;
        var lateness = (long)window.AllowedLateness.TotalMilliseconds;
        var finalMax = new long[partitions];
        Array.Fill(finalMax, long.MinValue);
        foreach (var r in records.Where(r => r.Order is not null))
        {
            finalMax[r.Partition] = Math.Max(finalMax[r.Partition], r.Order!.Timestamp);
        }

        var global = finalMax.Min() is var m && m == long.MinValue ? long.MinValue : m - ooo - 1;
        var maxBefore = new long[partitions];
        Array.Fill(maxBefore, long.MinValue);
        var possiblyLate = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in records.OrderBy(r => r.Index))
        {
            if (r.Order is not { } order)
            {
                continue;
            }

            var own = maxBefore[r.Partition] == long.MinValue ? long.MinValue : maxBefore[r.Partition] - ooo - 1;
            var bound = Math.Min(own, global);
            if (bound != long.MinValue && MayBeLate(order.Timestamp, bound, window, lateness))
            {
                possiblyLate.Add(order.OrderId);
            }

            maxBefore[r.Partition] = Math.Max(maxBefore[r.Partition], order.Timestamp);
        }

        return possiblyLate;
    }

    private static bool MayBeLate(long timestamp, long watermarkBound, WindowSettings window, long lateness)
    {
        if (window.Kind == WindowKind.Session)
        {
            return timestamp + (long)window.Gap.TotalMilliseconds - 1 + lateness <= watermarkBound;
        }

        var size = (long)window.Size.TotalMilliseconds;
        return ReferenceTotals.WindowStarts(timestamp, window).Any(start => start + size - 1 + lateness <= watermarkBound);
    }
}
