using Etl.Samples.OrderTotals.Configuration;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>
/// The order totals computed directly from a list of orders, without the pipeline: the independent side
/// of the exactly-once check. Windows are [start, end) in Unix ms, as in the pipeline: tumbling and sliding
/// windows aligned to the epoch, session windows merged when they overlap or touch.
/// </summary>
internal static class ReferenceTotals
{
    public static IReadOnlyDictionary<(string Customer, long Start), WindowTotal> Compute(IEnumerable<Order> orders, WindowSettings window)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(window);
        return window.Kind == WindowKind.Session ? Sessions(orders, Ms(window.Gap)) : Aligned(orders, window);
    }

    /// <summary>The start of every window an event at <paramref name="timestamp"/> belongs to (tumbling: one).</summary>
    public static IEnumerable<long> WindowStarts(long timestamp, WindowSettings window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var size = Ms(window.Size);
        var slide = window.Kind == WindowKind.Sliding ? Ms(window.Slide) : size;
        var last = timestamp - Mod(timestamp, slide);
        for (var start = last; start > timestamp - size; start -= slide)
        {
            yield return start;
        }
    }

    private static Dictionary<(string, long), WindowTotal> Aligned(IEnumerable<Order> orders, WindowSettings window)
    {
        var size = Ms(window.Size);
        var totals = new Dictionary<(string, long), WindowTotal>();
        foreach (var order in orders)
        {
            foreach (var start in WindowStarts(order.Timestamp, window))
            {
                var key = (order.CustomerId, start);
                totals[key] = totals.TryGetValue(key, out var t)
                    ? t with { Total = t.Total + order.Amount, OrderCount = t.OrderCount + 1 }
                    : new WindowTotal(order.CustomerId, start, start + size, order.Amount, 1);
            }
        }

        return totals;
    }

    private static Dictionary<(string, long), WindowTotal> Sessions(IEnumerable<Order> orders, long gap)
    {
        var totals = new Dictionary<(string, long), WindowTotal>();
        foreach (var byCustomer in orders.GroupBy(o => o.CustomerId, StringComparer.Ordinal))
        {
            WindowTotal? open = null;
            foreach (var order in byCustomer.OrderBy(o => o.Timestamp))
            {
                var end = order.Timestamp + gap;
                if (open is not null && order.Timestamp <= open.WindowEnd)
                {
                    open = open with { WindowEnd = Math.Max(open.WindowEnd, end), Total = open.Total + order.Amount, OrderCount = open.OrderCount + 1 };
                    continue;
                }

                if (open is not null)
                {
                    totals[(open.CustomerId, open.WindowStart)] = open;
                }

                open = new WindowTotal(order.CustomerId, order.Timestamp, end, order.Amount, 1);
            }

            if (open is not null)
            {
                totals[(open.CustomerId, open.WindowStart)] = open;
            }
        }

        return totals;
    }

    private static long Ms(TimeSpan value) => (long)value.TotalMilliseconds;

    private static long Mod(long value, long divisor)
    {
        var r = value % divisor;
        return r < 0 ? r + divisor : r;
    }
}
