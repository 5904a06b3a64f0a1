namespace Etl.Pipeline.Faults;

/// <summary>The dangerous instants of the checkpoint protocol, where a crash test kills the process.</summary>
public enum FaultPoint
{
    /// <summary>The sink prepared its transaction for checkpoint n (PREPARE TRANSACTION) and has not acked yet.</summary>
    AfterPrepare,

    /// <summary>
    /// Every state object of checkpoint n is durable and its <c>_metadata</c> is not written yet: the crash leaves a
    /// checkpoint that must never look complete. Reached inside the object-store storages (S3, WebHDFS).
    /// </summary>
    BeforeMetadataCommit,

    /// <summary>The checkpoint's <c>_metadata</c> is being written: the crash leaves it incomplete (torn).</summary>
    MidMetadata,

    /// <summary>
    /// <c>_metadata</c> of checkpoint n was just renamed into place (its commit point); the directory is not flushed yet
    /// and retention has not run. Reached inside <c>FileSystemCheckpointStorage</c>.
    /// </summary>
    AfterMetadataRename,

    /// <summary><c>_metadata</c> of checkpoint n is durable; no subtask has been notified of completion.</summary>
    AfterMetadataBeforeNotify,

    /// <summary>The sink committed checkpoint n's transaction (COMMIT PREPARED); source offsets may not be committed yet.</summary>
    AfterCommitBeforeOffsets,
}
