namespace Etl.Pipeline.Checkpointing;

/// <summary>Why a checkpoint did not complete.</summary>
public enum CheckpointFailureReason
{
    /// <summary>Not every subtask acknowledged within the timeout.</summary>
    Timeout,

    /// <summary>A subtask failed to take its snapshot.</summary>
    SnapshotFailed,

    /// <summary>Writing the checkpoint to storage failed.</summary>
    StorageFailed,

    /// <summary>The job attempt ended (failure, cancellation) before the checkpoint completed.</summary>
    JobEnded,

    /// <summary>A later checkpoint completed first and subsumed it.</summary>
    Subsumed,
}
