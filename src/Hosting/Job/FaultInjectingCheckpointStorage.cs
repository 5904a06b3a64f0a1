using Etl.Hosting.Faults;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Faults;

namespace Etl.Hosting.Job;

/// <summary>
/// Wraps checkpoint storage to pass the metadata fault points. <see cref="FaultPoint.AfterMetadataBeforeNotify"/>
/// fires when <see cref="CommitAsync"/> returned (the checkpoint is durable; the coordinator notifies only
/// afterwards). <see cref="FaultPoint.MidMetadata"/> simulates a torn write: once the checkpoint is written,
/// its <c>_metadata</c> is cut to half its length and then the point is reached, so the restart must detect
/// the damage and fall back to the previous checkpoint. (The file storage's temp-file-and-rename makes a
/// real torn <c>_metadata</c> impossible; this is the harsher case of a file system that lost the tail.)
/// </summary>
internal sealed class FaultInjectingCheckpointStorage(ICheckpointStorage inner, IFaultInjector faults) : ICheckpointStorage
{
    public ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken) => inner.HighestIdAsync(jobName, cancellationToken);

    public ValueTask ReserveAsync(string jobName, CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.ReserveAsync(jobName, checkpointId, cancellationToken);

    public async ValueTask<CheckpointHandle> CommitAsync(CheckpointData checkpoint, CancellationToken cancellationToken)
    {
        var handle = await inner.CommitAsync(checkpoint, cancellationToken);
        if (handle.Kind == CheckpointKind.Checkpoint)
        {
            var metadata = Directory.Exists(handle.Location) ? Path.Combine(handle.Location, "_metadata") : handle.Location;
            if (faults is KillingFaultInjector armed && armed.KillsNext(FaultPoint.MidMetadata) && File.Exists(metadata))
            {
                var torn = new FileInfo(metadata);
                await using (var stream = new FileStream(metadata, FileMode.Open, FileAccess.Write))
                {
                    stream.SetLength(torn.Length / 2);
                }
            }

            faults.Reach(FaultPoint.MidMetadata);
        }

        faults.Reach(FaultPoint.AfterMetadataBeforeNotify);
        return handle;
    }

    public ValueTask<CheckpointLoadResult> LatestAsync(string jobName, CancellationToken cancellationToken) => inner.LatestAsync(jobName, cancellationToken);

    public ValueTask<CheckpointData> LoadAsync(string location, CancellationToken cancellationToken) => inner.LoadAsync(location, cancellationToken);

    public ValueTask<IReadOnlyList<CheckpointHandle>> ListAsync(string jobName, CancellationToken cancellationToken) => inner.ListAsync(jobName, cancellationToken);

    public ValueTask OnJobCancelledAsync(string jobName, CancellationToken cancellationToken) => inner.OnJobCancelledAsync(jobName, cancellationToken);
}
