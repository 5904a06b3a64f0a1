using Etl.Pipeline.Checkpointing;
using Microsoft.Extensions.Logging;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// Chooses what each attempt of one job run restores (DESIGN 4, docs/checkpoints.md "Restore points"). A restore point
/// is a completed checkpoint or savepoint: both commit their side effects, so the newest one by id is the only point
/// whose restore replays nothing that was committed.
/// <list type="bullet">
/// <item>Start: <see cref="JobOptions.StartFresh"/> restores nothing; else <see cref="JobOptions.RestoreFrom"/>; else the
/// newest readable restore point in storage. If restore points exist but none can be read, the start is refused.</item>
/// <item>Start, against what the sinks committed: restoring a point older than a committed epoch (or nothing, when a
/// sink has committed epochs) is refused unless <see cref="JobOptions.StartFresh"/>; and the highest committed id is
/// reserved in storage, so checkpoint ids continue past it and never reuse its transaction ids.</item>
/// <item>Restart: the newest restore point taken by this run (whatever the coordinator was told about it: a checkpoint
/// whose commit point passed is restorable even if its commit was reported failed), else what the run started from.</item>
/// </list>
/// </summary>
internal sealed class RestorePoints(JobOptions options, ICheckpointStorage storage, ICommittedEpochs? committedEpochs, ILogger logger)
{
    private CheckpointId _firstIdOfRun = new(long.MaxValue);
    private CheckpointData? _start;

    public async Task<CheckpointData?> ForStartAsync(CancellationToken cancellationToken)
    {
        var highestCommitted = committedEpochs is null ? CheckpointId.None : await committedEpochs.HighestAsync(options.JobName, cancellationToken);
        if (highestCommitted > CheckpointId.None)
        {
            await storage.ReserveAsync(options.JobName, highestCommitted, cancellationToken);
        }

        _firstIdOfRun = (await storage.HighestIdAsync(options.JobName, cancellationToken)).Next();
        CheckpointData? start;
        if (options.StartFresh)
        {
            start = null;
        }
        else if (options.RestoreFrom is { } location)
        {
            start = await storage.LoadAsync(location, cancellationToken);
        }
        else
        {
            var latest = await LatestAsync(cancellationToken);
            if (latest.Checkpoint is null && latest.Skipped.Count > 0)
            {
                throw new NoReadableCheckpointException(options.JobName, latest.Skipped);
            }

            start = latest.Checkpoint;
        }

        if (!options.StartFresh && highestCommitted > (start?.Id ?? CheckpointId.None))
        {
            throw new CommittedBeyondRestorePointException(options.JobName, start, options.RestoreFrom, highestCommitted);
        }

        _start = start;
        return start;
    }

    public async Task<CheckpointData?> ForRestartAsync(CancellationToken cancellationToken)
    {
        // Only a point this run took: with StartFresh, older ones in storage were deliberately left behind.
        var latest = (await LatestAsync(cancellationToken)).Checkpoint;
        return latest is not null && latest.Id >= _firstIdOfRun ? latest : _start;
    }

    private async Task<CheckpointLoadResult> LatestAsync(CancellationToken cancellationToken)
    {
        var latest = await storage.LatestAsync(options.JobName, cancellationToken);
        foreach (var skipped in latest.Skipped)
        {
            JobRunnerLog.CheckpointSkipped(logger, options.JobName, skipped.Location, skipped.Reason);
        }

        return latest;
    }
}
