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

    /// <summary>
    /// A result under the current <see cref="Start"/> was emitted (it may be older than the current extent):
    /// if the start moves, that result must be retracted. Checkpointed.
    /// </summary>
    public bool Emitted;

    /// <summary>
    /// Starts under which results were emitted for what is now this session (its own earlier start, or sessions
    /// merged into it), to be retracted when it fires next; null when none. Checkpointed.
    /// </summary>
    public long[]? Superseded;

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

    /// <summary>Remembers that the result emitted under <paramref name="start"/> must be retracted at the next firing.</summary>
    public void Supersede(long start)
    {
        if (Superseded is null)
        {
            Superseded = [start];
        }
        else if (Array.IndexOf(Superseded, start) < 0)
        {
            Superseded = [.. Superseded, start];
        }
    }

    /// <summary>Takes over what <paramref name="other"/>, merged into this window, had emitted and not retracted yet.</summary>
    public void SupersedeAll(in WindowSlot<TAcc> other)
    {
        if (other.Emitted)
        {
            Supersede(other.Start);
        }

        foreach (var start in other.Superseded ?? [])
        {
            Supersede(start);
        }
    }

    /// <summary>The last timestamp inside the window; it fires when the watermark reaches it.</summary>
    public readonly long MaxTimestamp => End - 1;
}
