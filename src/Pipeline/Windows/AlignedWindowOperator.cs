using Etl.Pipeline.Aggregation;

namespace Etl.Pipeline.Windows;

/// <summary>
/// Tumbling and sliding windows (tumbling = sliding with slide = size): a record goes into every
/// window [start, start + size) with start = offset + k * slide that contains its timestamp.
/// </summary>
/// <remarks>
/// A record is added to each of its windows that is not past end + allowed lateness. A window whose
/// end the watermark already passed (or that fired before) re-fires at once as a late update. Only a
/// record that no window accepts goes to the late output (as in Flink, a sliding record that is too
/// late for its oldest windows but not for its newest counts in the newest and is not a dead letter).
/// </remarks>
internal sealed class AlignedWindowOperator<TIn, TKey, TAcc, TResult> : KeyedWindowOperator<TIn, TKey, TAcc, TResult>
    where TKey : notnull
{
    private readonly long _size;
    private readonly long _slide;
    private readonly long _offset;

    public AlignedWindowOperator(
        long size, long slide, long offset, Func<TIn, TKey> keySelector, KeyFormat<TKey> keyFormat,
        IAggregate<TIn, TAcc, TResult> aggregate, WindowOptions<TIn> options)
        : base(keySelector, keyFormat, aggregate, options, WindowAssignerDescription.Aligned(size, slide, offset))
    {
        _size = size;
        _slide = slide;
        _offset = offset;
    }

    protected override ValueTask ProcessRecordAsync(
        StreamRecord<TIn> input, ICollector<WindowResult<TKey, TResult>> output, CancellationToken cancellationToken)
    {
        var key = KeySelector(input.Value);
        var timestamp = input.Timestamp;
        var windows = Store.WindowsOf(key);
        var accepted = false;
        var lastStart = timestamp - EventTime.Mod(timestamp - _offset, _slide);
        for (var start = lastStart; start > timestamp - _size; start -= _slide)
        {
            var end = start + _size;
            var index = windows.IndexOf(start);
            if (index < 0)
            {
                if (Store.IsLate(end))
                {
                    continue;
                }

                index = windows.Add(new WindowSlot<TAcc>(start, end, Store.Aggregate.CreateAccumulator(), fired: false));
            }

            accepted = true;
            ref var window = ref windows[index];
            Store.Aggregate.Add(ref window.Accumulator, input.Value);
            // A window that fired before was passed by the watermark, also when the restored watermark
            // is behind it (the smallest of several subtasks'): the record updates an emitted result.
            if (window.Fired || window.MaxTimestamp <= Store.Watermark)
            {
                FireLate(key, ref window, output);
            }

            Store.Schedule(windows, ref window);
        }

        if (!accepted)
        {
            Store.Release(windows);
            RejectLate(key, input, output);
        }

        return ValueTask.CompletedTask;
    }
}
