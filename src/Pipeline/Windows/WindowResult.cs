namespace Etl.Pipeline.Windows;

/// <summary>
/// One firing of one window of one key. A window can fire more than once (late updates within the
/// allowed lateness), so a sink should upsert by (<see cref="Key"/>, <see cref="WindowStart"/>), and delete that key
/// for a result flagged <see cref="IsRetraction"/>.
/// It is collected with timestamp <see cref="WindowEnd"/> - 1.
/// </summary>
/// <param name="WindowStart">Inclusive, Unix ms.</param>
/// <param name="WindowEnd">Exclusive, Unix ms.</param>
/// <param name="IsLateUpdate">
/// True when a late record (one that arrived after the watermark passed the window's end) caused
/// this firing; false for the firing when the watermark passes the end.
/// </param>
public readonly record struct WindowResult<TKey, TResult>(
    TKey Key, long WindowStart, long WindowEnd, TResult Value, bool IsLateUpdate)
{
    /// <summary>
    /// This element withdraws the result emitted earlier under (<see cref="Key"/>, <see cref="WindowStart"/>): that
    /// window no longer exists (a late record merged it into a session with another start). A sink that upserts by
    /// (key, start) deletes that key. A retraction comes right before the result that supersedes it, with the same
    /// timestamp; <see cref="WindowEnd"/> equals <see cref="WindowStart"/> and <see cref="Value"/> is default (the
    /// withdrawn value is not kept). Only session windows retract; aligned windows never change their start.
    /// </summary>
    public bool IsRetraction { get; init; }
}
