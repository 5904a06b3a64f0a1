using System.Runtime.InteropServices;
using Etl.Pipeline.Aggregation;

namespace Etl.Pipeline.Windows;

/// <summary>
/// The keyed window state shared by the aligned and session operators: per key its open windows, a
/// timer queue ordered by time (so a watermark touches only the windows that are due), firing, and
/// cleanup at end + allowed lateness. One subtask's instance is used from one thread.
/// </summary>
internal sealed class WindowStore<TIn, TKey, TAcc, TResult>
    where TKey : notnull
{
    private readonly Dictionary<TKey, KeyWindows<TAcc>> _windows = [];
    private readonly Stack<KeyWindows<TAcc>> _spare = new();
    private readonly WindowTimerQueue<TKey> _timers = new();

    public WindowStore(IAggregate<TIn, TAcc, TResult> aggregate, long allowedLateness)
    {
        Aggregate = aggregate;
        AllowedLateness = allowedLateness;
    }

    public IAggregate<TIn, TAcc, TResult> Aggregate { get; }

    public long AllowedLateness { get; }

    /// <summary>The current event time; checkpointed as operator state (<see cref="WindowOperatorState"/>).</summary>
    public long Watermark { get; private set; } = long.MinValue;

    public int KeyCount => _windows.Count;

    public IEnumerable<KeyValuePair<TKey, KeyWindows<TAcc>>> Keys => _windows;

    /// <summary>When the window's state is dropped and records for it become too late.</summary>
    public long CleanupTime(long end) => EventTime.Add(end - 1, AllowedLateness);

    /// <summary>A window this late is gone: records for it go to the late output.</summary>
    public bool IsLate(long end) => CleanupTime(end) <= Watermark;

    /// <summary>The windows of <paramref name="key"/>, created empty when it has none; see <see cref="Release"/>.</summary>
    public KeyWindows<TAcc> WindowsOf(TKey key)
    {
        ref var windows = ref CollectionsMarshal.GetValueRefOrAddDefault(_windows, key, out _);
        windows ??= _spare.Count > 0 ? _spare.Pop() : new KeyWindows<TAcc>();
        return windows;
    }

    /// <summary>Forgets a key whose last window is gone; its list is reused by the next new key.</summary>
    public void Release(TKey key, KeyWindows<TAcc> windows)
    {
        if (windows.Count == 0)
        {
            _windows.Remove(key);
            _spare.Push(windows);
        }
    }

    /// <summary>
    /// Makes sure a timer is queued no later than the window's next action (firing at end - 1 unless
    /// fired, else cleanup). A timer that is due earlier stays: when it pops it re-queues itself.
    /// </summary>
    public void Schedule(TKey key, ref WindowSlot<TAcc> window)
    {
        var next = window.Fired ? CleanupTime(window.End) : window.MaxTimestamp;
        if (window.TimerAt == WindowSlot<TAcc>.NoTimer || window.TimerAt > next)
        {
            window.TimerAt = next;
            _timers.Enqueue(key, window.Start, next);
        }
    }

    /// <summary>
    /// Emits the window's current result and marks it fired; first retracts the results it supersedes (session
    /// starts that no longer exist), with the same timestamp, so a sink deletes them in the same epoch as it
    /// writes the result that replaces them.
    /// </summary>
    public void Fire(TKey key, ref WindowSlot<TAcc> window, bool isLateUpdate, ICollector<WindowResult<TKey, TResult>> output)
    {
        if (window.Superseded is { } superseded)
        {
            foreach (var start in superseded)
            {
                if (start != window.Start)
                {
                    output.Collect(new WindowResult<TKey, TResult>(key, start, start, default!, isLateUpdate) { IsRetraction = true }, window.MaxTimestamp);
                }
            }

            window.Superseded = null;
        }

        window.Fired = true;
        window.Emitted = true;
        var result = new WindowResult<TKey, TResult>(
            key, window.Start, window.End, Aggregate.GetResult(window.Accumulator), isLateUpdate);
        output.Collect(result, window.MaxTimestamp);
    }

    /// <summary>Fires the windows whose end the watermark passed and drops those past their lateness.</summary>
    public void AdvanceWatermark(long watermark, ICollector<WindowResult<TKey, TResult>> output)
    {
        if (watermark <= Watermark)
        {
            return;
        }

        Watermark = watermark;
        while (_timers.TryDequeue(watermark, out var timer))
        {
            var time = timer.Time;
            if (!_windows.TryGetValue(timer.Key, out var windows))
            {
                continue;
            }

            var index = windows.IndexOf(timer.Start);
            if (index < 0 || windows[index].TimerAt != time)
            {
                continue;
            }

            ref var window = ref windows[index];
            window.TimerAt = WindowSlot<TAcc>.NoTimer;
            if (!window.Fired && window.MaxTimestamp <= watermark)
            {
                Fire(timer.Key, ref window, isLateUpdate: false, output);
            }

            if (CleanupTime(window.End) <= watermark)
            {
                windows.RemoveAt(index);
                Release(timer.Key, windows);
            }
            else
            {
                Schedule(timer.Key, ref window);
            }
        }
    }

    /// <summary>Adds a restored window and queues its timer (fired windows wait only for cleanup).</summary>
    public void Restore(TKey key, in WindowSlot<TAcc> slot)
    {
        var windows = WindowsOf(key);
        var index = windows.Add(slot);
        Schedule(key, ref windows[index]);
    }
}
