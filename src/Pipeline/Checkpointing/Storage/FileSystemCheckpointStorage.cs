using Etl.Pipeline.Faults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// Checkpoints on a local (or mounted) file system in Flink's layout (docs/checkpoint-storage.md):
/// <c>&lt;checkpoint-dir&gt;/&lt;job&gt;/chk-&lt;n&gt;/_metadata</c> plus one state file per operator subtask,
/// <c>shared/</c> and <c>taskowned/</c> reserved, <c>_highest-id</c> recording reserved ids, and self-contained
/// savepoints under <c>&lt;savepoint-dir&gt;/&lt;job&gt;/savepoint-&lt;n&gt;-&lt;suffix&gt;</c>. One instance per job
/// owner: operations of this instance are serialised, other processes must not write the same job.
/// </summary>
public sealed class FileSystemCheckpointStorage : ICheckpointStorage, IDisposable
{
    private readonly CheckpointStorageOptions _options;
    private readonly CheckpointLayout _layout;
    private readonly ILogger _logger;
    private readonly IFaultInjector _faults;

    // Serialises every operation of this instance, so retention never deletes what a reader is reading.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="faults">Reached at <see cref="FaultPoint.AfterMetadataRename"/>, for crash and fault tests; none by default.</param>
    public FileSystemCheckpointStorage(
        CheckpointStorageOptions options, ILogger<FileSystemCheckpointStorage>? logger = null, IFaultInjector? faults = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _layout = new CheckpointLayout(
            CheckpointStorageOptions.ToLocalPath(options.CheckpointDirectory),
            options.SavepointDirectory is null ? null : CheckpointStorageOptions.ToLocalPath(options.SavepointDirectory));
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _faults = faults ?? FaultInjector.None;
    }

    public async ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await _layout.HighestIdAsync(jobName, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask ReserveAsync(string jobName, CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        CheckpointDataRules.ValidateId(checkpointId);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _layout.EnsureJobDirectory(jobName);
            await _layout.RaiseHighestIdAsync(jobName, checkpointId, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<CheckpointHandle> CommitAsync(CheckpointData checkpoint, CancellationToken cancellationToken)
    {
        CheckpointDataRules.Validate(checkpoint);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (CompletedDirectories(checkpoint.JobName).Any(d => d.Id == checkpoint.Id.Value))
            {
                throw new InvalidOperationException(
                    $"Checkpoint {checkpoint.Id} of job '{checkpoint.JobName}' is already completed; checkpoint ids are never reused.");
            }

            var directory = checkpoint.Kind == CheckpointKind.Savepoint
                ? _layout.NewSavepointPath(
                    checkpoint.JobName, checkpoint.Id, $"{nameof(CheckpointStorageOptions)}.{nameof(CheckpointStorageOptions.SavepointDirectory)}")
                : _layout.CheckpointPath(checkpoint.JobName, checkpoint.Id);
            if (checkpoint.Kind == CheckpointKind.Checkpoint)
            {
                _layout.EnsureJobDirectory(checkpoint.JobName);
            }

            // A directory left by an attempt that crashed before _metadata holds nothing restorable.
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            DurableFiles.CreateDirectory(directory);
            long size;
            try
            {
                size = await CheckpointDirectoryWriter.WriteAsync(directory, checkpoint, cancellationToken);
            }
            catch (Exception) when (!CheckpointDirectoryReader.IsComplete(directory))
            {
                // Without _metadata the directory is never restored; removing it now only saves space.
                TryDelete(directory);
                throw;
            }

            var handle = new CheckpointHandle(checkpoint.JobName, checkpoint.Id, checkpoint.Kind, checkpoint.TimestampUnixMs, directory, size);
            _logger.CheckpointStored(checkpoint.Kind, checkpoint.Id.Value, checkpoint.JobName, directory, size);
            AfterCommitPoint(checkpoint, directory);
            return handle;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<CheckpointLoadResult> LatestAsync(string jobName, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var skipped = new List<SkippedCheckpoint>();
            // Savepoints commit their side effects, so they are restore points as much as checkpoints are: the newest
            // of both by id is the one whose restore replays nothing that was committed.
            var candidates = _layout.Checkpoints(jobName).Select(d => (Directory: d, Kind: CheckpointKind.Checkpoint))
                .Concat(_layout.Savepoints(jobName).Select(d => (Directory: d, Kind: CheckpointKind.Savepoint)))
                .Where(c => c.Directory.Complete || CheckpointDirectoryReader.IsUnlistable(c.Directory.Path))
                .OrderByDescending(c => c.Directory.Id);
            foreach (var (candidate, kind) in candidates)
            {
                try
                {
                    var (checkpoint, _) = await CheckpointDirectoryReader.ReadAsync(candidate.Path, cancellationToken);
                    if (checkpoint.Id.Value != candidate.Id || checkpoint.Kind != kind)
                    {
                        throw new CorruptCheckpointException(
                            candidate.Path, $"_metadata describes {checkpoint.Kind} {checkpoint.Id}, not {kind.ToString().ToLowerInvariant()} {candidate.Id}");
                    }

                    return new CheckpointLoadResult(checkpoint, skipped);
                }
                catch (Exception e) when (e is CorruptCheckpointException or CheckpointNotFoundException or IOException or UnauthorizedAccessException)
                {
                    var reason = e is CorruptCheckpointException corrupt ? corrupt.Reason ?? e.Message : e.Message;
                    _logger.CorruptCheckpointSkipped(candidate.Path, jobName, reason);
                    skipped.Add(new SkippedCheckpoint(candidate.Path, reason));
                }
            }

            return new CheckpointLoadResult(null, skipped);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<CheckpointData> LoadAsync(string location, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var path = CheckpointStorageOptions.ToLocalPath(location);
        var directory = Path.GetFileName(path) == CheckpointDirectoryWriter.MetadataFileName ? Path.GetDirectoryName(path)! : path;
        if (!Directory.Exists(directory))
        {
            throw CheckpointNotFoundException.At(location, "no such directory.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!CheckpointDirectoryReader.IsComplete(directory))
            {
                throw CheckpointNotFoundException.At(location, $"it has no {CheckpointDirectoryWriter.MetadataFileName}, so it never completed.");
            }

            try
            {
                return (await CheckpointDirectoryReader.ReadAsync(directory, cancellationToken)).Checkpoint;
            }
            catch (IOException e)
            {
                throw new CorruptCheckpointException(directory, $"unreadable: {e.Message}", e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<IReadOnlyList<CheckpointHandle>> ListAsync(string jobName, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var handles = new List<CheckpointHandle>();
            foreach (var candidate in CompletedDirectories(jobName))
            {
                try
                {
                    var metadata = await CheckpointDirectoryReader.ReadMetadataAsync(candidate.Path, cancellationToken);
                    handles.Add(new CheckpointHandle(
                        jobName,
                        new CheckpointId(metadata.CheckpointId),
                        metadata.Kind,
                        metadata.TimestampUnixMs,
                        candidate.Path,
                        CheckpointDirectoryReader.SizeOf(candidate.Path, metadata)));
                }
                catch (Exception e) when (e is CorruptCheckpointException or IOException or UnauthorizedAccessException)
                {
                    // A corrupted _metadata lists nothing restorable; LatestAsync reports it with the reason.
                    _logger.CorruptCheckpointSkipped(candidate.Path, jobName, e.Message);
                }
            }

            return [.. handles.OrderBy(h => h.Id).ThenBy(h => h.Kind)];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask OnJobCancelledAsync(string jobName, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        if (_options.Retention != CheckpointRetention.DeleteOnCancellation)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var jobDirectory = _layout.JobDirectory(jobName);
            if (!Directory.Exists(jobDirectory))
            {
                return;
            }

            // Ids stay counted after the checkpoints go, so a resubmitted job with this name never reuses one.
            await _layout.RaiseHighestIdAsync(jobName, await _layout.HighestIdAsync(jobName, cancellationToken), cancellationToken);
            var directories = _layout.Checkpoints(jobName).OrderBy(d => d.Id).ToList();
            foreach (var directory in directories)
            {
                CheckpointLayout.DeleteCheckpointDirectory(directory.Path);
            }

            _layout.DeleteReservedDirectories(jobName);
            DurableFiles.FlushDirectory(jobDirectory);
            _logger.CheckpointsDeletedOnCancellation(jobName, directories.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// The rename of <c>_metadata</c> was the commit point: the checkpoint is restorable and the next start restores it.
    /// Reporting it failed now would let the runtime treat it as aborted (restart from an older point, roll its
    /// transactions back as lingering) while it stays on disk as the newest restore point. So what fails from here on
    /// is logged, not thrown: an unflushed directory is at worst lost to a power failure (then the sink's commit markers
    /// refuse an older restore), and retention runs again after the next checkpoint.
    /// </summary>
    private void AfterCommitPoint(CheckpointData checkpoint, string directory)
    {
        try
        {
            _faults.Reach(FaultPoint.AfterMetadataRename);
            DurableFiles.FlushDirectory(directory);
            if (checkpoint.Kind == CheckpointKind.Checkpoint)
            {
                ApplyRetention(checkpoint.JobName);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.AfterCommitPointFailed(checkpoint.Kind, checkpoint.Id.Value, checkpoint.JobName, directory, e);
        }
    }

    private void ApplyRetention(string jobName)
    {
        var directories = _layout.Checkpoints(jobName).OrderBy(d => d.Id).ToList();
        var completed = directories.Where(d => d.Complete).ToList();
        var newest = completed.Count == 0 ? 0 : completed[^1].Id;
        var subsumed = CheckpointRetentionRules.Subsumed(completed.Select(d => d.Id), _options.NumRetained).ToHashSet();
        var doomed = completed.Where(d => subsumed.Contains(d.Id))
            .Concat(directories.Where(d => !d.Complete && d.Id < newest))
            .OrderBy(d => d.Id);
        foreach (var directory in doomed)
        {
            CheckpointLayout.DeleteCheckpointDirectory(directory.Path);
            _logger.CheckpointSubsumed(directory.Path, jobName);
        }
    }

    private IEnumerable<CheckpointDirectory> CompletedDirectories(string jobName) =>
        _layout.Checkpoints(jobName).Concat(_layout.Savepoints(jobName)).Where(d => d.Complete);

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Retention removes incomplete directories older than the newest completed checkpoint later.
        }
    }
}
