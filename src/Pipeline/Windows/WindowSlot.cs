namespace Etl.Pipeline.Windows;

/// <summary>One window of one key: its extent, accumulator, and firing/timer bookkeeping.</summary>
internal struct WindowSlot<TAcc>
{
    /// <summary>No timer is queued for this window.</summary>
    public const long NoTimer = long.MinValue;

    public long Start;
    public long End;
    public TAcc Accumulator;

    /// <summary>
    /// The window's current extent has been emitted (on time, or by a late record). Checkpointed, so a
    /// restored operator neither fires it again as new nor forgets that a late record is an update.
    /// </summary>
    public bool Fired;

    /// <summary>The time of the one live timer entry of this window; other entries for it are stale.</summary>
    public long TimerAt;

    public WindowSlot(long start, long end, TAcc accumulator, bool fired)
    {
        Start = start;
        End = end;
        Accumulator = accumulator;
        Fired = fired;
        TimerAt = NoTimer;
    }

    /// <summary>The last timestamp inside the window; it fires when the watermark reaches it.</summary>
    public readonly long MaxTimestamp => End - 1;
}
