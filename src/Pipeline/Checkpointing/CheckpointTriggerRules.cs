namespace Etl.Pipeline.Checkpointing;

/// <summary>When the next periodic checkpoint may be triggered (interval, min pause, max concurrent).</summary>
internal static class CheckpointTriggerRules
{
    /// <summary>
    /// The earliest time the next periodic checkpoint may start, or null when none may start until a
    /// pending one finishes (or periodic checkpoints are off).
    /// </summary>
    public static DateTimeOffset? NextPeriodicTrigger(
        CheckpointingOptions options, DateTimeOffset lastTrigger, DateTimeOffset? lastCompletion, int pendingCount)
    {
        if (options.Interval is not { } interval || pendingCount >= options.MaxConcurrent)
        {
            return null;
        }

        // A min pause counts from the end of the previous checkpoint, so it only makes sense with
        // nothing in flight (Flink: a min pause implies one concurrent checkpoint).
        if (options.MinPause > TimeSpan.Zero && pendingCount > 0)
        {
            return null;
        }

        var next = lastTrigger + interval;
        if (lastCompletion is { } completed && completed + options.MinPause > next)
        {
            next = completed + options.MinPause;
        }

        return next;
    }

    /// <summary>When the coordinator must wake up next: the earliest checkpoint timeout or periodic trigger.</summary>
    public static DateTimeOffset? NextDeadline(
        CheckpointingOptions options, IEnumerable<DateTimeOffset> pendingTriggeredAt, bool periodicAllowed,
        DateTimeOffset lastTrigger, DateTimeOffset? lastCompletion)
    {
        DateTimeOffset? deadline = null;
        var pendingCount = 0;
        foreach (var triggeredAt in pendingTriggeredAt)
        {
            pendingCount++;
            var expiry = triggeredAt + options.Timeout;
            deadline = deadline is null || expiry < deadline ? expiry : deadline;
        }

        if (periodicAllowed
            && NextPeriodicTrigger(options, lastTrigger, lastCompletion, pendingCount) is { } due
            && (deadline is null || due < deadline))
        {
            deadline = due;
        }

        return deadline;
    }
}
