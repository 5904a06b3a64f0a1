namespace Etl.Pipeline.Checkpointing;

/// <summary>
/// Where completed checkpoints and savepoints live (DESIGN 5). File system by default, in memory for
/// tests; the contract stays open for object stores.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="bullet">
/// <item><see cref="CommitAsync"/> is the completion point of a checkpoint: when it returns, the checkpoint
/// is durable and restorable (state files first, then <c>_metadata</c> written to a temporary name,
/// flushed to disk, renamed, directory flushed). A partial <c>_metadata</c> is never visible. Committing
/// an id that already exists fails. It throws only if the checkpoint did not reach its commit point (the
/// rename): what fails after it (the directory flush, retention) is logged, never reported as a failed
/// checkpoint, because a checkpoint that is restorable must never be treated as aborted.</item>
/// <item><see cref="HighestIdAsync"/> returns the highest id ever used for the job, complete or not, so a
/// restarted job never reuses an id (DESIGN 3.1).</item>
/// <item><see cref="LatestAsync"/> returns the job's newest restore point whose checksums verify: the completed
/// checkpoint or savepoint with the highest id (savepoints commit their side effects, so they are restore points
/// too). A corrupted, truncated or unreadable one is reported through <see cref="CheckpointLoadResult.Skipped"/>
/// and passed over.</item>
/// <item>Retention keeps the last <c>num-retained</c> completed checkpoints. Savepoints are never deleted by
/// the runtime.</item>
/// </list>
/// </remarks>
public interface ICheckpointStorage
{
    /// <summary>The highest checkpoint id the job ever used (0 when none).</summary>
    ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves <paramref name="checkpointId"/> so that it counts for <see cref="HighestIdAsync"/> even if the
    /// checkpoint never completes (for example a crash before <c>_metadata</c>).
    /// </summary>
    ValueTask ReserveAsync(string jobName, CheckpointId checkpointId, CancellationToken cancellationToken);

    /// <summary>Writes a completed checkpoint or savepoint durably and applies retention.</summary>
    ValueTask<CheckpointHandle> CommitAsync(CheckpointData checkpoint, CancellationToken cancellationToken);

    /// <summary>The newest restorable completed checkpoint or savepoint of the job (highest id), with what was skipped.</summary>
    ValueTask<CheckpointLoadResult> LatestAsync(string jobName, CancellationToken cancellationToken);

    /// <summary>Loads a checkpoint or savepoint by its location (a <c>chk-n</c> or savepoint directory, or its <c>_metadata</c>).</summary>
    ValueTask<CheckpointData> LoadAsync(string location, CancellationToken cancellationToken);

    /// <summary>The job's completed checkpoints and savepoints, oldest first.</summary>
    ValueTask<IReadOnlyList<CheckpointHandle>> ListAsync(string jobName, CancellationToken cancellationToken);

    /// <summary>The job was cancelled: keep or delete its checkpoints per the retention setting (never savepoints).</summary>
    ValueTask OnJobCancelledAsync(string jobName, CancellationToken cancellationToken);
}
