namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>What happens to a job's checkpoints when the job is cancelled. Savepoints are never deleted.</summary>
public enum CheckpointRetention
{
    /// <summary>Keep the retained checkpoints, so the job can be resumed from them (Flink's <c>retain-on-cancellation</c>).</summary>
    RetainOnCancellation,

    /// <summary>Delete the job's checkpoints (Flink's <c>delete-on-cancellation</c>).</summary>
    DeleteOnCancellation,
}
