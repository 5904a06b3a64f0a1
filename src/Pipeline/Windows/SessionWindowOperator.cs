using Etl.Pipeline.Aggregation;

namespace Etl.Pipeline.Windows;

/// <summary>
/// Session windows: a record at t opens [t, t + gap) and merges with every session of its key that
/// overlaps or touches it (Flink's intersection rule), merging their accumulators.
/// </summary>
/// <remarks>
/// A merged session whose end the watermark already passed fires at once as a late update. A session
/// that a late record extends beyond the watermark waits for the watermark again and then fires on
/// time with its new end. When a merge or an earlier record moves a start under which a result was emitted
/// already, that result is retracted (<see cref="WindowResult{TKey,TResult}.IsRetraction"/>) right before the
/// merged session fires, so a sink upserting by (key, start) keeps exactly the final sessions.
/// A record goes to the late output only when its own window is past the allowed lateness and it
/// joins no open session.
/// </remarks>
internal sealed class SessionWindowOperator<TIn, TKey, TAcc, TResult> : KeyedWindowOperator<TIn, TKey, TAcc, TResult>
    where TKey : notnull
{
    private readonly long _gap;

    public SessionWindowOperator(
        long gap, Func<TIn, TKey> keySelector, KeyFormat<TKey> keyFormat,
        IAggregate<TIn, TAcc, TResult> aggregate, WindowOptions<TIn> options)
        : base(keySelector, keyFormat, aggregate, options, WindowAssignerDescription.Session(gap)) =>
        _gap = gap;

    protected override ValueTask ProcessRecordAsync(
        StreamRecord<TIn> input, ICollector<WindowResult<TKey, TResult>> output, CancellationToken cancellationToken)
    {
        var key = KeySelector(input.Value);
        var start = input.Timestamp;
        var end = EventTime.Add(start, _gap);
        var windows = Store.WindowsOf(key);
        var target = -1;
        var overlapping = 0;
        var mergedStart = start;
        var mergedEnd = end;
        for (var i = 0; i < windows.Count; i++)
        {
            ref var session = ref windows[i];
            if (Touches(in session, start, end))
            {
                overlapping++;
                mergedStart = Math.Min(mergedStart, session.Start);
                mergedEnd = Math.Max(mergedEnd, session.End);
                if (target < 0 || session.Start < windows[target].Start)
                {
                    target = i;
                }
            }
        }

        if (target < 0)
        {
            if (Store.IsLate(end))
            {
                Store.Release(windows);
                RejectLate(key, input, output);
                return ValueTask.CompletedTask;
            }

            target = windows.Add(new WindowSlot<TAcc>(start, end, Store.Aggregate.CreateAccumulator(), fired: false));
        }
        else if (overlapping > 1)
        {
            target = MergeInto(windows, target, start, end);
        }

        ref var merged = ref windows[target];
        var extentChanged = overlapping > 1 || merged.Start != mergedStart || merged.End != mergedEnd;
        if (merged.Start != mergedStart)
        {
            // Timers find windows by start; the entry under the old start is stale now.
            merged.TimerAt = WindowSlot<TAcc>.NoTimer;
            // A result emitted under the old start no longer names a session: retracted when this one fires.
            if (merged.Emitted)
            {
                merged.Supersede(merged.Start);
                merged.Emitted = false;
            }
        }

        merged.Start = mergedStart;
        merged.End = mergedEnd;
        Store.Aggregate.Add(ref merged.Accumulator, input.Value);
        if (merged.MaxTimestamp <= Store.Watermark || (merged.Fired && !extentChanged))
        {
            // The second case happens only after a restore whose watermark is behind the one that fired
            // it (the smallest of several subtasks'): a session that fired and keeps its extent was
            // passed by the watermark, so this is a late update.
            FireLate(key, ref merged, output);
        }
        else
        {
            merged.Fired = false;
        }

        Store.Schedule(windows, ref merged);
        return ValueTask.CompletedTask;
    }

    private static bool Touches(in WindowSlot<TAcc> session, long start, long end) =>
        session.Start <= end && session.End >= start;

    /// <summary>Folds every other session that touches [start, end) into the target; returns the target's new index.</summary>
    private int MergeInto(KeyWindows<TKey, TAcc> windows, int target, long start, long end)
    {
        for (var i = windows.Count - 1; i >= 0; i--)
        {
            if (i == target || !Touches(in windows[i], start, end))
            {
                continue;
            }

            Store.Aggregate.Merge(ref windows[target].Accumulator, windows[i].Accumulator);
            windows[target].SupersedeAll(in windows[i]);
            // RemoveAt moves the last slot into the hole; slots above i were already visited.
            if (target == windows.Count - 1)
            {
                target = i;
            }

            windows.RemoveAt(i);
        }

        return target;
    }
}
