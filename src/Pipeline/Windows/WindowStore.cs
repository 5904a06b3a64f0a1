using System.Runtime.InteropServices;
using Etl.Pipeline.Aggregation;

namespace Etl.Pipeline.Windows;

/// <summary>
/// The keyed window state shared by the aligned and session operators: per key its open windows, a
/// timer queue ordered by time (so a watermark touches only the windows that are due), firing, and
/// cleanup at end + allowed lateness. One subtask's instance is used from one thread.
/// </summary>
/// <remarks>
/// A key whose last window is dropped stays in the dictionary, without windows, until event time has moved on by
/// <see cref="IdleKeyRetention"/> (one window size, or the session gap): most keys come back in the next window
/// (a customer's next order), and keeping the key spares a dictionary removal and insertion per window, and the
/// garbage collector the copy of every window's fresh key (the record's own key object would otherwise become the
/// dictionary's, and survive). Keys without windows are not state: snapshots skip them.
/// </remarks>
internal sealed class WindowStore<TIn, TKey, TAcc, TResult>
    where TKey : notnull
{
    private readonly Dictionary<TKey, KeyWindows<TKey, TAcc>> _windows = [];
    private readonly Stack<KeyWindows<TKey, TAcc>> _spare = new();
    private readonly WindowTimerQueue<TKey, TAcc> _timers = new();

    // Keys left without windows, in the order they were (event time never goes back, so also by time).
    private readonly Queue<(KeyWindows<TKey, TAcc> Windows, int Release, long At)> _idle = new();
    private int _releases;

    public WindowStore(IAggregate<TIn, TAcc, TResult> aggregate, long allowedLateness, long idleKeyRetention)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(idleKeyRetention);
        Aggregate = aggregate;
        AllowedLateness = allowedLateness;
        IdleKeyRetention = idleKeyRetention;
    }

    public IAggregate<TIn, TAcc, TResult> Aggregate { get; }

    public long AllowedLateness { get; }

    /// <summary>How long (event time) a key without windows is kept for its next window before it is forgotten.</summary>
    public long IdleKeyRetention { get; }

    /// <summary>The current event time; checkpointed as operator state (<see cref="WindowOperatorState"/>).</summary>
    public long Watermark { get; private set; } = long.MinValue;

    /// <summary>The keys with open windows (kept keys without windows are not counted); walks every key.</summary>
    public int KeyCount => Keys.Count();

    /// <summary>Every key the store holds: those with open windows and those kept without (for tests).</summary>
    internal int HeldKeys => _windows.Count;

    /// <summary>The keys with open windows, and their windows.</summary>
    public IEnumerable<KeyWindows<TKey, TAcc>> Keys => _windows.Values.Where(w => w.Count > 0);

    /// <summary>When the window's state is dropped and records for it become too late.</summary>
    public long CleanupTime(long end) => EventTime.Add(end - 1, AllowedLateness);

    /// <summary>A window this late is gone: records for it go to the late output.</summary>
    public bool IsLate(long end) => CleanupTime(end) <= Watermark;

    /// <summary>The windows of <paramref name="key"/>, created empty when it has none; see <see cref="Release"/>.</summary>
    public KeyWindows<TKey, TAcc> WindowsOf(TKey key)
    {
        ref var windows = ref CollectionsMarshal.GetValueRefOrAddDefault(_windows, key, out var exists);
        if (!exists)
        {
            windows = _spare.Count > 0 ? _spare.Pop() : new KeyWindows<TKey, TAcc>();
            windows.Key = key;
        }
        else
        {
            // A kept key that is back before it was forgotten is no longer idle.
            windows!.Released = 0;
        }

        return windows!;
    }

    /// <summary>
    /// Called when a key may have lost its last window: a key without windows is kept for <see cref="IdleKeyRetention"/>
    /// of event time, then forgotten (<see cref="ForgetIdleKeys"/>) and its object reused by the next new key.
    /// </summary>
    public void Release(KeyWindows<TKey, TAcc> windows)
    {
        if (windows.Count == 0 && windows.Released == 0)
        {
            windows.Released = ++_releases == 0 ? ++_releases : _releases;
            _idle.Enqueue((windows, windows.Released, Watermark));
        }
    }

    /// <summary>
    /// Makes sure a timer is queued no later than the window's next action (firing at end - 1 unless
    /// fired, else cleanup). A timer that is due earlier stays: when it pops it re-queues itself.
    /// </summary>
    public void Schedule(KeyWindows<TKey, TAcc> windows, ref WindowSlot<TAcc> window)
    {
        var next = window.Fired ? CleanupTime(window.End) : window.MaxTimestamp;
        if (window.TimerAt == WindowSlot<TAcc>.NoTimer || window.TimerAt > next)
        {
            window.TimerAt = next;
            _timers.Enqueue(windows, window.Start, next);
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
        while (_timers.TryDequeue(watermark, out var timer, out var time))
        {
            var windows = timer.Windows;
            var index = windows.IndexOf(timer.Start);
            if (index < 0 || windows[index].TimerAt != time)
            {
                continue;
            }

            ref var window = ref windows[index];
            window.TimerAt = WindowSlot<TAcc>.NoTimer;
            if (!window.Fired && window.MaxTimestamp <= watermark)
            {
                Fire(windows.Key, ref window, isLateUpdate: false, output);
            }

            if (CleanupTime(window.End) <= watermark)
            {
                windows.RemoveAt(index);
                Release(windows);
            }
            else
            {
                Schedule(windows, ref window);
            }
        }

        ForgetIdleKeys();
    }

    /// <summary>Forgets the keys that have been without windows for <see cref="IdleKeyRetention"/> of event time.</summary>
    private void ForgetIdleKeys()
    {
        while (_idle.TryPeek(out var idle) && EventTime.Add(idle.At, IdleKeyRetention) <= Watermark)
        {
            _idle.Dequeue();
            var windows = idle.Windows;
            // Skipped when the key came back (it has windows, or was released again later and queued again).
            if (windows.Released == idle.Release && windows.Count == 0)
            {
                _windows.Remove(windows.Key);
                windows.Key = default!;
                windows.Released = 0;
                _spare.Push(windows);
            }
        }
    }

    /// <summary>Adds a restored window and queues its timer (fired windows wait only for cleanup).</summary>
    public void Restore(TKey key, in WindowSlot<TAcc> slot)
    {
        var windows = WindowsOf(key);
        var index = windows.Add(slot);
        Schedule(windows, ref windows[index]);
    }
}
