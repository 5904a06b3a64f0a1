namespace Etl.Tests.Unit.Windows;

/// <summary>
/// A user accumulator that says which records a window saw: their count, their exact decimal sum and
/// a wrapping sum of mixed ids (so a missing or doubled record changes it).
/// </summary>
public readonly record struct TraceAccumulator(long Count, decimal Sum, long IdHash)
{
    public static long Mix(long id)
    {
        unchecked
        {
            var x = (ulong)id + 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return (long)(x ^ (x >> 31));
        }
    }

    public static TraceAccumulator Of(IEnumerable<Order> orders)
    {
        var acc = default(TraceAccumulator);
        foreach (var order in orders)
        {
            acc = acc.With(order);
        }

        return acc;
    }

    public TraceAccumulator With(Order order) => new(Count + 1, Sum + order.Amount, unchecked(IdHash + Mix(order.Id)));

    public TraceAccumulator Plus(TraceAccumulator other) => new(Count + other.Count, Sum + other.Sum, unchecked(IdHash + other.IdHash));
}
