namespace Etl.Tests.Unit.Windows;

/// <summary>
/// Brute force for tumbling and sliding windows, from the definitions rather than from a simulation:
/// record r (arriving when the watermark is w_r) counts in window [s, e) iff s &lt;= ts &lt; e and
/// e - 1 + lateness &gt; w_r. A window fires on time once with the records that arrived while
/// w &lt; e - 1 (if any), and once more for each record that arrived after, with all records so far.
/// The end of input fires everything. A record no window accepts is late.
/// </summary>
public static class AlignedReference
{
    public static ReferenceResult Compute(StreamCase c)
    {
        var windows = new Dictionary<(string Key, long Start), List<(Order Order, long Watermark)>>();
        var late = new List<long>();
        var watermark = long.MinValue;
        foreach (var step in c.Steps)
        {
            if (step.Order is not { } order)
            {
                watermark = Math.Max(watermark, step.Time);
                continue;
            }

            var accepted = false;
            foreach (var start in StartsContaining(step.Time, c.Size, c.Slide, c.Offset))
            {
                if (start + c.Size - 1 + c.Lateness <= watermark)
                {
                    continue;
                }

                accepted = true;
                if (!windows.TryGetValue((order.Customer, start), out var contents))
                {
                    windows[(order.Customer, start)] = contents = [];
                }

                contents.Add((order, watermark));
            }

            if (!accepted)
            {
                late.Add(order.Id);
            }
        }

        var emissions = new List<Emission>();
        foreach (var ((key, start), contents) in windows)
        {
            var end = start + c.Size;
            var onTime = contents.Where(x => x.Watermark < end - 1).Select(x => x.Order).ToList();
            if (onTime.Count > 0)
            {
                emissions.Add(new Emission(key, start, end, TraceAccumulator.Of(onTime), false, end - 1));
            }

            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i].Watermark >= end - 1)
                {
                    var soFar = contents.Take(i + 1).Select(x => x.Order);
                    emissions.Add(new Emission(key, start, end, TraceAccumulator.Of(soFar), true, end - 1));
                }
            }
        }

        return new ReferenceResult(emissions, late);
    }

    /// <summary>Every window start offset + k * slide whose window contains the timestamp, by scanning k.</summary>
    private static IEnumerable<long> StartsContaining(long timestamp, long size, long slide, long offset)
    {
        var lowest = (long)Math.Floor((double)(timestamp - size - offset) / slide) - 1;
        var highest = (long)Math.Floor((double)(timestamp - offset) / slide) + 1;
        for (var k = lowest; k <= highest; k++)
        {
            var start = offset + (k * slide);
            if (start <= timestamp && timestamp < start + size)
            {
                yield return start;
            }
        }
    }
}
