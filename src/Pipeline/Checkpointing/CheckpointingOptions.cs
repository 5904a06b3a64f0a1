namespace Etl.Pipeline.Checkpointing;

/// <summary>How the coordinator takes checkpoints (Flink's execution.checkpointing.* settings).</summary>
public sealed record CheckpointingOptions
{
    public CheckpointingMode Mode { get; init; } = CheckpointingMode.ExactlyOnce;

    /// <summary>Time between periodic checkpoints; null disables periodic checkpoints (explicit triggers still work).</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>A checkpoint not complete after this long is aborted.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Minimum time from the completion of one checkpoint to the trigger of the next periodic one.</summary>
    public TimeSpan MinPause { get; init; } = TimeSpan.Zero;

    public int MaxConcurrent { get; init; } = 1;

    /// <summary>Consecutive failed checkpoints tolerated; one more fails the job attempt.</summary>
    public int TolerableFailures { get; init; }

    /// <summary>The longest duration a setting may have (timers of the runtime cannot wait longer).</summary>
    public static TimeSpan MaxDuration { get; } = TimeSpan.FromDays(24);

    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(Interval), Interval ?? TimeSpan.Zero), (nameof(Timeout), Timeout), (nameof(MinPause), MinPause) })
        {
            if (value > MaxDuration)
            {
                throw new ArgumentException($"Checkpointing.{name} must be at most {MaxDuration.TotalDays} days, was {value}.");
            }
        }

        if (Interval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Checkpointing.Interval must be positive (or null to disable periodic checkpoints), was {interval}.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Checkpointing.Timeout must be positive, was {Timeout}.");
        }

        if (MinPause < TimeSpan.Zero)
        {
            throw new ArgumentException($"Checkpointing.MinPause must not be negative, was {MinPause}.");
        }

        if (MaxConcurrent < 1)
        {
            throw new ArgumentException($"Checkpointing.MaxConcurrent must be at least 1, was {MaxConcurrent}.");
        }

        if (TolerableFailures < 0)
        {
            throw new ArgumentException($"Checkpointing.TolerableFailures must not be negative, was {TolerableFailures}.");
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentException($"Checkpointing.Mode '{Mode}' is not a checkpointing mode.");
        }
    }
}
