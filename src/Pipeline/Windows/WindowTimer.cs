namespace Etl.Pipeline.Windows;

/// <summary>
/// A queued wake-up for the window starting at <see cref="Start"/> among <see cref="Windows"/>. Entries are never
/// removed from the queue early: one whose time no longer matches the window's <see cref="WindowSlot{TAcc}.TimerAt"/>
/// (or whose window is gone) is stale and skipped when popped. A stale entry may point at windows that have since
/// been handed to another key; it acts only on a window whose live timer is at the same time, which is due anyway.
/// </summary>
internal readonly record struct WindowTimer<TKey, TAcc>(KeyWindows<TKey, TAcc> Windows, long Start);
