using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;

namespace Etl.Tests.Unit.Checkpointing.Coordinator;

/// <summary>Holds every commit until the test releases it, to observe the moment before <c>_metadata</c> is durable.</summary>
internal sealed class BlockingCommitStorage(ICheckpointStorage inner) : ICheckpointStorage
{
    public TaskCompletionSource CommitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken) => inner.HighestIdAsync(jobName, cancellationToken);

    public ValueTask ReserveAsync(string jobName, CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.ReserveAsync(jobName, checkpointId, cancellationToken);

    public async ValueTask<CheckpointHandle> CommitAsync(CheckpointData checkpoint, CancellationToken cancellationToken)
    {
        CommitStarted.TrySetResult();
        await Release.Task.WaitAsync(cancellationToken);
        return await inner.CommitAsync(checkpoint, cancellationToken);
    }

    public ValueTask<CheckpointLoadResult> LatestAsync(string jobName, CancellationToken cancellationToken) => inner.LatestAsync(jobName, cancellationToken);

    public ValueTask<CheckpointData> LoadAsync(string location, CancellationToken cancellationToken) => inner.LoadAsync(location, cancellationToken);

    public ValueTask<IReadOnlyList<CheckpointHandle>> ListAsync(string jobName, CancellationToken cancellationToken) => inner.ListAsync(jobName, cancellationToken);

    public ValueTask OnJobCancelledAsync(string jobName, CancellationToken cancellationToken) => inner.OnJobCancelledAsync(jobName, cancellationToken);
}
