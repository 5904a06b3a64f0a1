using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;

namespace Etl.Hosting.Job;

/// <summary>
/// Checkpoint storage that belongs to the holder of the job lock: once <paramref name="fence"/> fires (the lock
/// was lost, another worker may own the job and its checkpoint directory), it refuses to reserve ids or commit
/// checkpoints, and a cancellation deletes nothing, whatever the retention says: the checkpoints are the new
/// owner's now. Reads stay allowed.
/// </summary>
internal sealed class FencedCheckpointStorage(ICheckpointStorage inner, string job, CancellationToken fence) : ICheckpointStorage
{
    public ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken) => inner.HighestIdAsync(jobName, cancellationToken);

    public ValueTask ReserveAsync(string jobName, CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        ThrowIfFenced($"reserve checkpoint id {checkpointId.Value}");
        return inner.ReserveAsync(jobName, checkpointId, cancellationToken);
    }

    public ValueTask<CheckpointHandle> CommitAsync(CheckpointData checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ThrowIfFenced($"commit checkpoint {checkpoint.Id.Value}");
        return inner.CommitAsync(checkpoint, cancellationToken);
    }

    public ValueTask<CheckpointLoadResult> LatestAsync(string jobName, CancellationToken cancellationToken) => inner.LatestAsync(jobName, cancellationToken);

    public ValueTask<CheckpointData> LoadAsync(string location, CancellationToken cancellationToken) => inner.LoadAsync(location, cancellationToken);

    public ValueTask<IReadOnlyList<CheckpointHandle>> ListAsync(string jobName, CancellationToken cancellationToken) => inner.ListAsync(jobName, cancellationToken);

    public ValueTask OnJobCancelledAsync(string jobName, CancellationToken cancellationToken) =>
        fence.IsCancellationRequested ? ValueTask.CompletedTask : inner.OnJobCancelledAsync(jobName, cancellationToken);

    private void ThrowIfFenced(string what)
    {
        if (fence.IsCancellationRequested)
        {
            throw new JobLockLostException(
                $"Job '{job}': refused to {what}: the job lock was lost, so another worker may own the job now. " +
                "The worker stops this run and re-takes the lock before it restores from the latest checkpoint.");
        }
    }
}
