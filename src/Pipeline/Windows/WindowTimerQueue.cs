using System.Runtime.InteropServices;

namespace Etl.Pipeline.Windows;

/// <summary>
/// Window timers bucketed by time: a priority queue of the distinct times, each with the list of its
/// timers. Aligned windows of every key end together (100k customers' minute windows share one
/// time), so queuing a timer is a dictionary hit and an append, and firing walks one list in order
/// instead of sifting a heap of every window.
/// </summary>
internal sealed class WindowTimerQueue<TKey, TAcc>
{
    private readonly PriorityQueue<long, long> _times = new();
    private readonly Dictionary<long, List<WindowTimer<TKey, TAcc>>> _buckets = [];
    private readonly Stack<List<WindowTimer<TKey, TAcc>>> _spare = new();
    private List<WindowTimer<TKey, TAcc>>? _due;
    private int _dueIndex;
    private long _dueTime;

    public void Enqueue(KeyWindows<TKey, TAcc> windows, long start, long time)
    {
        ref var bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(_buckets, time, out var exists);
        if (!exists)
        {
            bucket = _spare.Count > 0 ? _spare.Pop() : [];
            _times.Enqueue(time, time);
        }

        bucket!.Add(new WindowTimer<TKey, TAcc>(windows, start));
    }

    /// <summary>
    /// The next timer at or before <paramref name="watermark"/>, and its <paramref name="time"/>. Timers queued while
    /// draining must be later than the watermark (a window's next action is always in the future).
    /// </summary>
    public bool TryDequeue(long watermark, out WindowTimer<TKey, TAcc> timer, out long time)
    {
        while (true)
        {
            if (_due is { } due)
            {
                if (_dueIndex < due.Count)
                {
                    timer = due[_dueIndex++];
                    time = _dueTime;
                    return true;
                }

                due.Clear();
                _spare.Push(due);
                _due = null;
            }

            if (!_times.TryPeek(out time, out _) || time > watermark)
            {
                timer = default;
                return false;
            }

            _times.Dequeue();
            _buckets.Remove(time, out _due);
            _dueTime = time;
            _dueIndex = 0;
        }
    }
}
