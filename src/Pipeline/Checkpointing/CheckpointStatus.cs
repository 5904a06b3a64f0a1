namespace Etl.Pipeline.Checkpointing;

/// <summary>Where a checkpoint or savepoint stands in <see cref="CheckpointHistory"/>.</summary>
public enum CheckpointStatus
{
    /// <summary>Triggered; not every subtask has acknowledged it, or it is being written to storage.</summary>
    InProgress,

    /// <summary>Durable in checkpoint storage (a restore point).</summary>
    Completed,

    /// <summary>Aborted (timed out, declined, subsumed, storage failed, or the attempt ended first).</summary>
    Failed,
}
