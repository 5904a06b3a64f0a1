namespace Etl.Pipeline.Windows;

/// <summary>
/// A queued wake-up for the window of <see cref="Key"/> starting at <see cref="Start"/>. Entries are
/// never removed from the queue early: one whose <see cref="Time"/> no longer matches the window's
/// <see cref="WindowSlot{TAcc}.TimerAt"/> (or whose window is gone) is stale and skipped when popped.
/// </summary>
internal readonly record struct WindowTimer<TKey>(TKey Key, long Start, long Time);
