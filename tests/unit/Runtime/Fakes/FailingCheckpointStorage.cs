using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;

namespace Etl.Tests.Unit.Runtime.Fakes;

/// <summary>
/// Wraps a storage and fails one commit, either before <c>_metadata</c> is written (the checkpoint is
/// lost) or after (it is durable but the coordinator never hears so): the two sides of the completion point.
/// </summary>
public sealed class FailingCheckpointStorage(ICheckpointStorage inner) : ICheckpointStorage
{
    private int _commits;

    /// <summary>Fail the commit with this 1-based number; 0 never fails.</summary>
    public int FailCommitNumber { get; set; }

    public bool FailAfterWrite { get; set; }

    public bool Failed { get; private set; }

    public ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken) =>
        inner.HighestIdAsync(jobName, cancellationToken);

    public ValueTask ReserveAsync(string jobName, CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.ReserveAsync(jobName, checkpointId, cancellationToken);

    public async ValueTask<CheckpointHandle> CommitAsync(CheckpointData checkpoint, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _commits);
        var fail = number == FailCommitNumber;
        Failed |= fail;
        if (fail && !FailAfterWrite)
        {
            throw new IOException($"Injected: commit {number} failed before _metadata was written.");
        }

        var handle = await inner.CommitAsync(checkpoint, cancellationToken);
        if (fail)
        {
            throw new IOException($"Injected: commit {number} failed after _metadata was durable.");
        }

        return handle;
    }

    public ValueTask<CheckpointLoadResult> LatestAsync(string jobName, CancellationToken cancellationToken) =>
        inner.LatestAsync(jobName, cancellationToken);

    public ValueTask<CheckpointData> LoadAsync(string location, CancellationToken cancellationToken) =>
        inner.LoadAsync(location, cancellationToken);

    public ValueTask<IReadOnlyList<CheckpointHandle>> ListAsync(string jobName, CancellationToken cancellationToken) =>
        inner.ListAsync(jobName, cancellationToken);

    public ValueTask OnJobCancelledAsync(string jobName, CancellationToken cancellationToken) =>
        inner.OnJobCancelledAsync(jobName, cancellationToken);
}
