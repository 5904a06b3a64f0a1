using Etl.Pipeline.Aggregation;

namespace Etl.Pipeline.Windows;

/// <summary>Builds keyed event-time window operators (DESIGN 6).</summary>
public static class WindowedAggregate
{
    /// <summary>
    /// A keyed window operator: records are grouped by <paramref name="keySelector"/>, assigned to
    /// windows by <paramref name="assigner"/>, folded incrementally by <paramref name="aggregate"/>, and
    /// emitted when the watermark passes a window's end (again for each late record within the
    /// allowed lateness). Records past the allowed lateness become dead letters with reason
    /// <see cref="DeadLetterReasons.Late"/>. State is checkpointed per key group.
    /// </summary>
    /// <remarks>
    /// The watermark is not checkpointed (as in Flink): after a restore the operator expects the
    /// sources to re-emit their restored watermark before new records. Windows that fired before the
    /// checkpoint remember it, so they are not fired again and a late record still updates them.
    /// </remarks>
    public static IOperator<TIn, WindowResult<TKey, TResult>> Create<TIn, TKey, TAcc, TResult>(
        WindowAssigner assigner,
        Func<TIn, TKey> keySelector,
        KeyFormat<TKey> keyFormat,
        IAggregate<TIn, TAcc, TResult> aggregate,
        WindowOptions<TIn> options)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(assigner);
        assigner.Validate();
        return assigner switch
        {
            TumblingWindows t => new AlignedWindowOperator<TIn, TKey, TAcc, TResult>(
                Ms(t.Size), Ms(t.Size), Ms(t.Offset), keySelector, keyFormat, aggregate, options),
            SlidingWindows s => new AlignedWindowOperator<TIn, TKey, TAcc, TResult>(
                Ms(s.Size), Ms(s.Slide), Ms(s.Offset), keySelector, keyFormat, aggregate, options),
            SessionWindows s => new SessionWindowOperator<TIn, TKey, TAcc, TResult>(
                Ms(s.Gap), keySelector, keyFormat, aggregate, options),
            _ => throw new ArgumentException($"Unknown window assigner {assigner.GetType().Name}.", nameof(assigner)),
        };
    }

    private static long Ms(TimeSpan value) => value.Ticks / TimeSpan.TicksPerMillisecond;
}
