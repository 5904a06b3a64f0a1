using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Faults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.CheckpointStorage;

/// <summary>
/// Checkpoints in a remote store (S3, HDFS) in Flink's layout, with the file-system storage's format and rules
/// (docs/checkpoint-storage.md): <c>&lt;root&gt;/&lt;job&gt;/chk-&lt;n&gt;/_metadata</c> plus one state object per
/// operator subtask, <c>_highest-id</c>, savepoints under <c>&lt;savepoint-root&gt;/&lt;job&gt;/savepoint-&lt;n&gt;-&lt;suffix&gt;</c>.
/// The commit point is the store's create-only write of <c>_metadata</c>, made after every state object is durable.
/// State objects carry the commit attempt's random suffix, so two writers of one checkpoint never overwrite each
/// other's state and exactly one <c>_metadata</c> wins. Another process reading the same root (a standby taking
/// over) sees exactly the committed checkpoints.
/// </summary>
internal sealed class ObjectStoreCheckpointStorage : ICheckpointStorage, IDisposable
{
    private const string MetadataName = "_metadata";
    private const string HighestIdName = "_highest-id";
    private const string CheckpointPrefix = "chk-";
    private const string SavepointPrefix = "savepoint-";
    private const int MaxConcurrentWrites = 8;

    private readonly ICheckpointObjectStore _store;
    private readonly string _checkpointRoot;
    private readonly string? _savepointRoot;
    private readonly string _savepointSetting;
    private readonly int _numRetained;
    private readonly CheckpointRetention _retention;
    private readonly ILogger _logger;
    private readonly IFaultInjector _faults;

    // Checkpoint paths this instance saw complete (committed or found with _metadata), so retention asks the store only
    // about the others. A completed checkpoint only stops being one through retention, which removes it from here.
    private readonly HashSet<string> _knownComplete = new(StringComparer.Ordinal);

    // Serialises the operations of this instance, so retention never deletes what a reader of this instance reads.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ObjectStoreCheckpointStorage(
        ICheckpointObjectStore store, string checkpointRoot, string? savepointRoot, string savepointSetting,
        int numRetained, CheckpointRetention retention, ILogger? logger = null, IFaultInjector? faults = null)
    {
        _store = store;
        _checkpointRoot = checkpointRoot.Trim('/');
        _savepointRoot = savepointRoot?.Trim('/');
        _savepointSetting = savepointSetting;
        _numRetained = numRetained;
        _retention = retention;
        _logger = logger ?? NullLogger.Instance;
        _faults = faults ?? FaultInjector.None;
    }

    public async ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await HighestIdUnlockedAsync(jobName, cancellationToken);
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
            await RaiseHighestIdAsync(jobName, checkpointId, cancellationToken);
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
            var job = checkpoint.JobName;
            var sameId = (await SavepointsAsync(job, cancellationToken)).Where(s => s.Id == checkpoint.Id.Value)
                .Append(new Candidate(checkpoint.Id.Value, CheckpointPath(job, checkpoint.Id.Value), CheckpointKind.Checkpoint));
            foreach (var candidate in sameId)
            {
                if (await _store.ExistsAsync($"{candidate.Path}/{MetadataName}", cancellationToken))
                {
                    throw AlreadyCompleted(checkpoint);
                }
            }

            var directory = checkpoint.Kind == CheckpointKind.Savepoint ? NewSavepointPath(checkpoint) : CheckpointPath(job, checkpoint.Id.Value);
            var attempt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var written = new List<string>();
            bool committed;
            byte[] metadata;
            try
            {
                (metadata, var objects) = Layout(checkpoint, attempt);
                await Parallel.ForEachAsync(
                    objects,
                    new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentWrites, CancellationToken = cancellationToken },
                    async (o, ct) =>
                    {
                        var path = $"{directory}/{o.Name}";
                        lock (written)
                        {
                            written.Add(path);
                        }

                        await _store.WriteAsync(path, o.Content, ct);
                    });
                _faults.Reach(FaultPoint.BeforeMetadataCommit);
                committed = await _store.CreateExclusiveAsync($"{directory}/{MetadataName}", metadata, cancellationToken);
            }
            catch (Exception)
            {
                // Nothing points at this attempt's objects; removing them now only saves space (retention would later).
                await DeleteQuietlyAsync(written);
                throw;
            }

            var location = _store.LocationOf(directory);
            if (!committed)
            {
                _logger.CommitLostToAnotherWriter(checkpoint.Kind, checkpoint.Id.Value, job, location);
                await DeleteQuietlyAsync(written);
                throw AlreadyCompleted(checkpoint);
            }

            _knownComplete.Add(directory);
            var size = metadata.LongLength + checkpoint.Operators.Values.Sum(o => o.Subtasks.Sum(s => s.SizeInBytes));
            _logger.CheckpointStored(checkpoint.Kind, checkpoint.Id.Value, job, location, size);
            await AfterCommitPointAsync(checkpoint, location, cancellationToken);
            return new CheckpointHandle(job, checkpoint.Id, checkpoint.Kind, checkpoint.TimestampUnixMs, location, size);
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
            // Newest first, stopping at the first that verifies: one _metadata read per checkpoint passed over.
            var candidates = (await CheckpointsAsync(jobName, cancellationToken)).Concat(await SavepointsAsync(jobName, cancellationToken));
            foreach (var candidate in candidates.OrderByDescending(c => c.Id))
            {
                var location = _store.LocationOf(candidate.Path);
                try
                {
                    if (await _store.ReadAsync($"{candidate.Path}/{MetadataName}", cancellationToken) is not { } metadataBytes)
                    {
                        continue; // never completed (a crash before _metadata, or a commit still running)
                    }

                    var (checkpoint, _) = await ReadAsync(candidate.Path, metadataBytes, cancellationToken);
                    if (checkpoint.Id.Value != candidate.Id || checkpoint.Kind != candidate.Kind)
                    {
                        throw new CorruptCheckpointException(
                            location, $"_metadata describes {checkpoint.Kind} {checkpoint.Id}, not {candidate.Kind.ToString().ToLowerInvariant()} {candidate.Id}");
                    }

                    return new CheckpointLoadResult(checkpoint, skipped);
                }
                catch (Exception e) when (e is CorruptCheckpointException or CheckpointNotFoundException)
                {
                    var reason = e is CorruptCheckpointException corrupt ? corrupt.Reason ?? e.Message : e.Message;
                    _logger.CorruptCheckpointSkipped(location, jobName, reason);
                    skipped.Add(new SkippedCheckpoint(location, reason));
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
        var path = _store.PathOf(location)?.TrimEnd('/')
            ?? throw CheckpointNotFoundException.At(location, $"this storage holds {_store.LocationOf(_checkpointRoot)}; the location is elsewhere.");
        if (path.EndsWith("/" + MetadataName, StringComparison.Ordinal))
        {
            path = path[..^(MetadataName.Length + 1)];
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var metadata = await _store.ReadAsync($"{path}/{MetadataName}", cancellationToken)
                ?? throw CheckpointNotFoundException.At(location, $"it has no {MetadataName}, so it never completed.");
            return (await ReadAsync(path, metadata, cancellationToken)).Checkpoint;
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
            foreach (var candidate in (await CheckpointsAsync(jobName, cancellationToken)).Concat(await SavepointsAsync(jobName, cancellationToken)))
            {
                var location = _store.LocationOf(candidate.Path);
                try
                {
                    if (await _store.ReadAsync($"{candidate.Path}/{MetadataName}", cancellationToken) is not { } bytes)
                    {
                        continue; // never completed
                    }

                    var (metadata, size) = (CheckpointMetadataFormat.Decode(bytes, location), bytes.LongLength);
                    handles.Add(new CheckpointHandle(
                        jobName, new CheckpointId(metadata.CheckpointId), metadata.Kind, metadata.TimestampUnixMs, location,
                        size + metadata.Operators.Sum(o => o.Subtasks.Sum(s => s.SizeInBytes))));
                }
                catch (Exception e) when (e is CorruptCheckpointException or CheckpointNotFoundException)
                {
                    // A corrupted _metadata lists nothing restorable; LatestAsync reports it with the reason.
                    _logger.CorruptCheckpointSkipped(location, jobName, e.Message);
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
        if (_retention != CheckpointRetention.DeleteOnCancellation)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Ids stay counted after the checkpoints go, so a resubmitted job with this name never reuses one.
            await RaiseHighestIdAsync(jobName, await HighestIdUnlockedAsync(jobName, cancellationToken), cancellationToken);
            var checkpoints = await CheckpointsAsync(jobName, cancellationToken);
            foreach (var checkpoint in checkpoints.OrderBy(c => c.Id))
            {
                await DeleteCheckpointAsync(checkpoint.Path, cancellationToken);
            }

            await _store.DeleteTreeAsync($"{JobPath(jobName)}/shared", cancellationToken);
            await _store.DeleteTreeAsync($"{JobPath(jobName)}/taskowned", cancellationToken);
            _logger.CheckpointsDeletedOnCancellation(jobName, checkpoints.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        _store.Dispose();
    }

    private static InvalidOperationException AlreadyCompleted(CheckpointData checkpoint) => new(
        $"{checkpoint.Kind} {checkpoint.Id} of job '{checkpoint.JobName}' is already completed; checkpoint ids are never reused.");

    /// <summary>The <c>_metadata</c> bytes and the state objects they name: <c>&lt;uid&gt;-&lt;subtask&gt;-&lt;attempt&gt;.state</c>.</summary>
    private static (byte[] Metadata, List<(string Name, byte[] Content)> Objects) Layout(CheckpointData checkpoint, string attempt)
    {
        var objects = new List<(string, byte[])>();
        var operators = new List<OperatorMetadata>();
        foreach (var (uid, op) in checkpoint.Operators.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var subtasks = new List<SubtaskMetadata>(op.Subtasks.Count);
            for (var i = 0; i < op.Subtasks.Count; i++)
            {
                var name = StateFileNames.For(uid, i);
                name = $"{name[..^".state".Length]}-{attempt}.state";
                var (content, metadata) = CheckpointDirectoryWriter.Layout(op.Subtasks[i], i, name);
                objects.Add((name, content));
                subtasks.Add(metadata);
            }

            operators.Add(new OperatorMetadata(uid, op.Parallelism, op.MaxParallelism, subtasks));
        }

        if (objects.Select(o => o.Item1).Distinct(StringComparer.OrdinalIgnoreCase).Count() != objects.Count)
        {
            throw new InvalidOperationException($"Operator uids of checkpoint {checkpoint.Id} map to the same state object name.");
        }

        var metadataBytes = CheckpointMetadataFormat.Encode(new CheckpointMetadata(
            CheckpointMetadata.CurrentVersion, checkpoint.JobName, checkpoint.Id.Value, checkpoint.Kind, checkpoint.TimestampUnixMs, operators));
        return (metadataBytes, objects);
    }

    private async ValueTask<(CheckpointData Checkpoint, long SizeInBytes)> ReadAsync(string directory, byte[] metadataBytes, CancellationToken cancellationToken)
    {
        var location = _store.LocationOf(directory);
        var metadata = CheckpointMetadataFormat.Decode(metadataBytes, location);
        var metadataSize = metadataBytes.LongLength;
        var checkpoint = await CheckpointDirectoryReader.AssembleAsync(
            location,
            metadata,
            async (uid, subtask, ct) => await _store.ReadAsync($"{directory}/{subtask.File}", ct)
                ?? throw new CorruptCheckpointException(location, $"state object '{subtask.File}' of operator '{uid}' is missing"),
            cancellationToken);
        return (checkpoint, metadataSize + metadata.Operators.Sum(o => o.Subtasks.Sum(s => s.SizeInBytes)));
    }

    /// <summary>
    /// The commit point is behind us: the checkpoint is restorable, so what fails now is logged, never thrown (reporting it
    /// failed would let the runtime treat it as aborted while it stays the newest restore point).
    /// </summary>
    private async ValueTask AfterCommitPointAsync(CheckpointData checkpoint, string location, CancellationToken cancellationToken)
    {
        try
        {
            _faults.Reach(FaultPoint.AfterMetadataRename);
            if (checkpoint.Kind == CheckpointKind.Checkpoint)
            {
                await ApplyRetentionAsync(checkpoint.JobName, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.AfterCommitPointFailed(checkpoint.Kind, checkpoint.Id.Value, checkpoint.JobName, location, e);
        }
    }

    private async ValueTask ApplyRetentionAsync(string jobName, CancellationToken cancellationToken)
    {
        var checkpoints = (await CheckpointsAsync(jobName, cancellationToken)).OrderBy(c => c.Id).ToList();
        var complete = new List<Candidate>();
        var incomplete = new List<Candidate>();
        foreach (var c in checkpoints)
        {
            if (_knownComplete.Contains(c.Path) || await _store.ExistsAsync($"{c.Path}/{MetadataName}", cancellationToken))
            {
                _knownComplete.Add(c.Path);
                complete.Add(c);
            }
            else
            {
                incomplete.Add(c);
            }
        }

        var newest = complete.Count == 0 ? 0 : complete[^1].Id;
        var doomed = complete.Take(Math.Max(0, complete.Count - _numRetained)).Concat(incomplete.Where(c => c.Id < newest)).OrderBy(c => c.Id);
        foreach (var c in doomed)
        {
            await DeleteCheckpointAsync(c.Path, cancellationToken);
            var location = _store.LocationOf(c.Path);
            _logger.CheckpointSubsumed(location, jobName);
        }
    }

    // _metadata goes first, so a crash half way leaves an incomplete checkpoint, never one that looks complete with missing state.
    private async ValueTask DeleteCheckpointAsync(string directory, CancellationToken cancellationToken)
    {
        _knownComplete.Remove(directory);
        await _store.DeleteAsync($"{directory}/{MetadataName}", cancellationToken);
        await _store.DeleteTreeAsync(directory, cancellationToken);
    }

    private async ValueTask DeleteQuietlyAsync(List<string> paths)
    {
        foreach (var path in paths)
        {
            try
            {
                await _store.DeleteAsync(path, CancellationToken.None);
            }
            catch (Exception)
            {
                // Deliberately tolerated, whatever the store threw:
                // unreferenced objects of a failed attempt; retention removes incomplete checkpoints older than the newest completed one.
            }
        }
    }

    private async ValueTask<CheckpointId> HighestIdUnlockedAsync(string jobName, CancellationToken cancellationToken)
    {
        var fromDirectories = (await CheckpointsAsync(jobName, cancellationToken)).Concat(await SavepointsAsync(jobName, cancellationToken))
            .Select(c => c.Id).DefaultIfEmpty(0).Max();
        return new CheckpointId(Math.Max(fromDirectories, (await ReadHighestIdAsync(jobName, cancellationToken)).Value));
    }

    private async ValueTask<CheckpointId> ReadHighestIdAsync(string jobName, CancellationToken cancellationToken)
    {
        var path = $"{JobPath(jobName)}/{HighestIdName}";
        var bytes = await _store.ReadAsync(path, cancellationToken);
        if (bytes is null)
        {
            return CheckpointId.None;
        }

        var text = Encoding.ASCII.GetString(bytes).Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            // Guessing could reuse a checkpoint id, and with it a sink's transaction ids: fail loudly instead.
            throw new InvalidDataException(
                $"'{_store.LocationOf(path)}' should hold the highest checkpoint id of job '{jobName}' but holds '{text}'. " +
                "Write the highest id ever used (at least the highest chk-<n>) into it, or delete it if no checkpoint of this job was ever taken.");
        }

        return new CheckpointId(value);
    }

    private async ValueTask RaiseHighestIdAsync(string jobName, CheckpointId id, CancellationToken cancellationToken)
    {
        if (id <= await ReadHighestIdAsync(jobName, cancellationToken))
        {
            return;
        }

        await _store.ReplaceAsync(
            $"{JobPath(jobName)}/{HighestIdName}", Encoding.ASCII.GetBytes(id.Value.ToString(CultureInfo.InvariantCulture) + "\n"), cancellationToken);
    }

    private string JobPath(string jobName) => Join(_checkpointRoot, jobName);

    private string CheckpointPath(string jobName, long id) => string.Create(CultureInfo.InvariantCulture, $"{JobPath(jobName)}/{CheckpointPrefix}{id}");

    private string NewSavepointPath(CheckpointData checkpoint)
    {
        var root = _savepointRoot ?? throw new InvalidOperationException(
            $"Cannot take savepoint {checkpoint.Id} of job '{checkpoint.JobName}': {_savepointSetting} is not set.");
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return string.Create(CultureInfo.InvariantCulture, $"{Join(root, checkpoint.JobName)}/{SavepointPrefix}{checkpoint.Id.Value}-{suffix}");
    }

    private static string Join(string root, string name) => root.Length == 0 ? name : $"{root}/{name}";

    private async ValueTask<List<Candidate>> CheckpointsAsync(string jobName, CancellationToken cancellationToken) =>
        await IdDirectoriesAsync(JobPath(jobName), CheckpointPrefix, CheckpointKind.Checkpoint, n => n, cancellationToken);

    private async ValueTask<List<Candidate>> SavepointsAsync(string jobName, CancellationToken cancellationToken) =>
        _savepointRoot is null ? [] : await IdDirectoriesAsync(Join(_savepointRoot, jobName), SavepointPrefix, CheckpointKind.Savepoint, n => n.Split('-')[0], cancellationToken);

    private async ValueTask<List<Candidate>> IdDirectoriesAsync(
        string parent, string prefix, CheckpointKind kind, Func<string, string> idPart, CancellationToken cancellationToken)
    {
        var found = new List<Candidate>();
        foreach (var name in await _store.ListChildrenAsync(parent, cancellationToken))
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) &&
                long.TryParse(idPart(name[prefix.Length..]), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                found.Add(new Candidate(id, $"{parent}/{name}", kind));
            }
        }

        return found;
    }

    private sealed record Candidate(long Id, string Path, CheckpointKind Kind);
}
