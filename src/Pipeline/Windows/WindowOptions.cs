namespace Etl.Pipeline.Windows;

/// <summary>How a window operator treats late records.</summary>
/// <param name="SerializeLateRecord">
/// Turns a record that is too late for every window it belongs to into the bytes of its dead letter
/// (<see cref="LateRecordSerializers"/> has a JSON one). Late records are never dropped silently.
/// </param>
public sealed record WindowOptions<TIn>(Func<TIn, byte[]> SerializeLateRecord)
{
    /// <summary>
    /// How long after the watermark passed a window's end the window still accepts records; each such
    /// record re-fires the window with <see cref="WindowResult{TKey,TResult}.IsLateUpdate"/> set.
    /// State is kept until end + allowed lateness. Zero by default.
    /// </summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// When set, a record too late for every window goes to this side output as it is, instead of becoming a dead letter
    /// (<see cref="SerializeLateRecord"/> is then unused). The job must read the side output.
    /// </summary>
    public OutputTag<TIn>? LateDataTag { get; init; }

    /// <summary>Throws with a message that names the bad setting; returns the allowed lateness in milliseconds.</summary>
    public long Validate()
    {
        ArgumentNullException.ThrowIfNull(SerializeLateRecord, nameof(SerializeLateRecord));
        if (AllowedLateness < TimeSpan.Zero || AllowedLateness.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(AllowedLateness), AllowedLateness, $"AllowedLateness must be zero or more whole milliseconds, got {AllowedLateness}.");
        }

        return AllowedLateness.Ticks / TimeSpan.TicksPerMillisecond;
    }
}
