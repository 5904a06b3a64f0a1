using Etl.Pipeline;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Windows;

namespace Etl.Tests.Unit.Windows;

/// <summary>
/// A key whose last window is dropped is kept (for its next window) for one retention of event time, then forgotten;
/// it is never part of the state while it has no windows, and a key that comes back starts from a fresh window.
/// </summary>
public sealed class WindowStoreTests
{
    [Fact]
    public void KeyWithoutWindows_IsKeptForTheRetention_ThenForgotten()
    {
        var (store, fired) = Store(retention: 10);
        Open(store, "a", start: 0, count: 2);
        store.AdvanceWatermark(9, fired);
        Assert.Equal([("a", 0L, 2L)], fired.Results);
        Assert.Equal(0, store.KeyCount);
        Assert.Empty(store.Keys);
        AssertKeptUntil(store, fired, 19);
    }

    [Fact]
    public void KeyThatComesBackWithinTheRetention_IsTheSameEntry_WithAFreshWindow_AndStays()
    {
        var (store, fired) = Store(retention: 10);
        var first = Open(store, "a", start: 0, count: 2);
        store.AdvanceWatermark(9, fired);

        // An equal key that is another string object: the store's own key object is kept.
        var again = Open(store, new string('a', 1), start: 10, count: 3);
        Assert.Same(first, again);
        Assert.Same(first.Key, again.Key);
        Assert.Equal(1, store.KeyCount);
        store.AdvanceWatermark(19, fired);
        Assert.Equal([("a", 0L, 2L), ("a", 10L, 3L)], fired.Results);
        AssertKeptUntil(store, fired, 29);
    }

    [Fact]
    public void ForgottenKeysObject_GoesToAnotherKey_WhoseWindowAStaleTimerFiresOnce_UnderItsOwnKey()
    {
        var (store, fired) = Store(retention: 0);
        var a = Open(store, "a", start: 20, count: 1);
        // The window goes without its timer entry (as a merged session's old start does): the entry is stale.
        a[0].TimerAt = WindowSlot<long>.NoTimer;
        a.RemoveAt(0);
        store.Release(a);
        store.AdvanceWatermark(15, fired);
        Assert.Equal(0, store.HeldKeys);

        // The same object now holds "b", with a window at the same start and its own timer at the same time.
        var b = Open(store, "b", start: 20, count: 4);
        Assert.Same(a, b);
        Assert.Equal("b", b.Key);
        store.AdvanceWatermark(29, fired);
        Assert.Equal([("b", 20L, 4L)], fired.Results);
    }

    // The one key is held (without windows) until the watermark reaches forgottenAt, and forgotten then.
    private static void AssertKeptUntil(WindowStore<int, string, long, long> store, Fired fired, long forgottenAt)
    {
        Assert.Equal(1, store.HeldKeys);
        store.AdvanceWatermark(forgottenAt - 1, fired);
        Assert.Equal(1, store.HeldKeys);
        store.AdvanceWatermark(forgottenAt, fired);
        Assert.Equal(0, store.HeldKeys);
    }

    private static (WindowStore<int, string, long, long> Store, Fired Fired) Store(long retention) =>
        (new WindowStore<int, string, long, long>(Aggregates.Count<int>(), allowedLateness: 0, idleKeyRetention: retention), new Fired());

    private static KeyWindows<string, long> Open(WindowStore<int, string, long, long> store, string key, long start, long count)
    {
        var windows = store.WindowsOf(key);
        var index = windows.Add(new WindowSlot<long>(start, start + 10, count, fired: false));
        store.Schedule(windows, ref windows[index]);
        return windows;
    }

    private sealed class Fired : ICollector<WindowResult<string, long>>
    {
        public List<(string Key, long Start, long Count)> Results { get; } = [];

        public void Collect(WindowResult<string, long> value, long timestamp) => Results.Add((value.Key, value.WindowStart, value.Value));

        public void CollectDeadLetter(DeadLetter deadLetter) => throw new InvalidOperationException("no dead letters here");
    }
}
