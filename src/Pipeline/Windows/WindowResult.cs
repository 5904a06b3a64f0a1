namespace Etl.Pipeline.Windows;

/// <summary>
/// One firing of one window of one key. A window can fire more than once (late updates within the
/// allowed lateness), so a sink should upsert by (<see cref="Key"/>, <see cref="WindowStart"/>).
/// It is collected with timestamp <see cref="WindowEnd"/> - 1.
/// </summary>
/// <param name="WindowStart">Inclusive, Unix ms.</param>
/// <param name="WindowEnd">Exclusive, Unix ms.</param>
/// <param name="IsLateUpdate">
/// True when a late record (one that arrived after the watermark passed the window's end) caused
/// this firing; false for the firing when the watermark passes the end.
/// </param>
public readonly record struct WindowResult<TKey, TResult>(
    TKey Key, long WindowStart, long WindowEnd, TResult Value, bool IsLateUpdate);
