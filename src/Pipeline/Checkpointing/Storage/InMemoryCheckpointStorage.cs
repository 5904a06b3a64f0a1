using System.Globalization;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// Checkpoint storage in the process's memory, for tests and local runs: the same rules as the file-system
/// storage (ids never reused, retention, savepoints kept, delete or retain on cancel) and a cap on the bytes
/// held. State is copied in and out, so later changes to the caller's arrays never alter a stored checkpoint.
/// Locations look like <c>memory://job/chk-5</c> and <c>memory://job/savepoint-5</c>.
/// </summary>
public sealed class InMemoryCheckpointStorage : ICheckpointStorage
{
    private const string Scheme = "memory://";

    private readonly InMemoryCheckpointStorageOptions _options;

    // Guards _jobs and _sizeInBytes: every operation is short and synchronous.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JobEntry> _jobs = new(StringComparer.Ordinal);
    private long _sizeInBytes;

    public InMemoryCheckpointStorage(InMemoryCheckpointStorageOptions? options = null)
    {
        _options = options ?? new InMemoryCheckpointStorageOptions();
        _options.Validate();
    }

    /// <summary>The state bytes held now, over all jobs.</summary>
    public long SizeInBytes
    {
        get
        {
            lock (_gate)
            {
                return _sizeInBytes;
            }
        }
    }

    public ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_jobs.TryGetValue(jobName, out var job) ? job.HighestId : CheckpointId.None);
        }
    }

    public ValueTask ReserveAsync(string jobName, CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        CheckpointDataRules.ValidateId(checkpointId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var job = JobOf(jobName);
            if (checkpointId > job.HighestId)
            {
                job.HighestId = checkpointId;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<CheckpointHandle> CommitAsync(CheckpointData checkpoint, CancellationToken cancellationToken)
    {
        CheckpointDataRules.Validate(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = Copy(checkpoint);
        var size = SizeOf(copy);
        lock (_gate)
        {
            var job = JobOf(checkpoint.JobName);
            if (job.Completed.ContainsKey(checkpoint.Id.Value))
            {
                throw new InvalidOperationException(
                    $"Checkpoint {checkpoint.Id} of job '{checkpoint.JobName}' is already completed; checkpoint ids are never reused.");
            }

            var subsumed = checkpoint.Kind == CheckpointKind.Checkpoint
                ? Subsumed(job, checkpoint.Id, _options.NumRetained)
                : [];
            var required = _sizeInBytes + size - subsumed.Sum(s => s.Handle.SizeInBytes);
            if (required > _options.MaxSizeInBytes)
            {
                throw new CheckpointStorageFullException(
                    $"{nameof(InMemoryCheckpointStorageOptions)}.{nameof(InMemoryCheckpointStorageOptions.MaxSizeInBytes)}",
                    _options.MaxSizeInBytes,
                    required);
            }

            var handle = new CheckpointHandle(
                copy.JobName, copy.Id, copy.Kind, copy.TimestampUnixMs, LocationOf(copy.JobName, copy.Kind, copy.Id), size);
            job.Completed.Add(copy.Id.Value, new Stored(handle, copy));
            _sizeInBytes += size;
            foreach (var old in subsumed)
            {
                job.Completed.Remove(old.Handle.Id.Value);
                _sizeInBytes -= old.Handle.SizeInBytes;
            }

            if (copy.Id > job.HighestId)
            {
                job.HighestId = copy.Id;
            }

            return ValueTask.FromResult(handle);
        }
    }

    public ValueTask<CheckpointLoadResult> LatestAsync(string jobName, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var latest = _jobs.TryGetValue(jobName, out var job)
                ? job.Completed.Values.MaxBy(s => s.Handle.Id)
                : null;
            return ValueTask.FromResult(new CheckpointLoadResult(latest is null ? null : Copy(latest.Data), []));
        }
    }

    public ValueTask<CheckpointData> LoadAsync(string location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        cancellationToken.ThrowIfCancellationRequested();
        var normalised = location.TrimEnd('/');
        if (normalised.EndsWith("/_metadata", StringComparison.Ordinal))
        {
            normalised = normalised[..^"/_metadata".Length];
        }

        lock (_gate)
        {
            foreach (var job in _jobs.Values)
            {
                foreach (var stored in job.Completed.Values)
                {
                    if (string.Equals(stored.Handle.Location, normalised, StringComparison.Ordinal))
                    {
                        return ValueTask.FromResult(Copy(stored.Data));
                    }
                }
            }
        }

        throw CheckpointNotFoundException.At(
            location,
            normalised.StartsWith(Scheme, StringComparison.Ordinal)
                ? "this in-memory storage holds no such checkpoint (it may have been subsumed by retention, or belong to another process)."
                : $"the in-memory storage only knows locations like {Scheme}<job>/chk-<n>.");
    }

    public ValueTask<IReadOnlyList<CheckpointHandle>> ListAsync(string jobName, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<CheckpointHandle> handles = _jobs.TryGetValue(jobName, out var job)
                ? [.. job.Completed.Values.Select(s => s.Handle)]
                : [];
            return ValueTask.FromResult(handles);
        }
    }

    public ValueTask OnJobCancelledAsync(string jobName, CancellationToken cancellationToken)
    {
        CheckpointJobNames.Validate(jobName);
        cancellationToken.ThrowIfCancellationRequested();
        if (_options.Retention == CheckpointRetention.DeleteOnCancellation)
        {
            lock (_gate)
            {
                if (_jobs.TryGetValue(jobName, out var job))
                {
                    // The highest id stays: a resubmitted job with the same name must not reuse ids either.
                    foreach (var checkpoint in job.Completed.Values.Where(s => s.Handle.Kind == CheckpointKind.Checkpoint).ToList())
                    {
                        job.Completed.Remove(checkpoint.Handle.Id.Value);
                        _sizeInBytes -= checkpoint.Handle.SizeInBytes;
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    internal static string LocationOf(string jobName, CheckpointKind kind, CheckpointId id) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Scheme}{Uri.EscapeDataString(jobName)}/{(kind == CheckpointKind.Savepoint ? "savepoint" : "chk")}-{id.Value}");

    private static List<Stored> Subsumed(JobEntry job, CheckpointId committing, int numRetained)
    {
        var ids = CheckpointRetentionRules.Subsumed(
            job.Completed.Values.Where(s => s.Handle.Kind == CheckpointKind.Checkpoint).Select(s => s.Handle.Id.Value).Append(committing.Value),
            numRetained).ToHashSet();
        return [.. job.Completed.Values.Where(s => s.Handle.Kind == CheckpointKind.Checkpoint && ids.Contains(s.Handle.Id.Value))];
    }

    private static long SizeOf(CheckpointData checkpoint) =>
        checkpoint.Operators.Values.Sum(o => o.Subtasks.Sum(s => s.SizeInBytes));

    private static CheckpointData Copy(CheckpointData data) =>
        data with
        {
            Operators = data.Operators.ToDictionary(
                o => o.Key,
                o => o.Value with { Subtasks = [.. o.Value.Subtasks.Select(Copy)] },
                StringComparer.Ordinal),
        };

    private static OperatorSnapshot Copy(OperatorSnapshot snapshot) =>
        new(
            snapshot.OperatorState is null ? null : (byte[])snapshot.OperatorState.Clone(),
            [.. snapshot.KeyedState.Select(k => new KeyGroupState(k.KeyGroup, (byte[])k.Data.Clone()))]);

    private JobEntry JobOf(string jobName)
    {
        if (!_jobs.TryGetValue(jobName, out var job))
        {
            job = new JobEntry();
            _jobs.Add(jobName, job);
        }

        return job;
    }

    private sealed class JobEntry
    {
        public CheckpointId HighestId { get; set; }

        // Completed checkpoints and savepoints by id, so enumeration is oldest first.
        public SortedDictionary<long, Stored> Completed { get; } = [];
    }

    private sealed record Stored(CheckpointHandle Handle, CheckpointData Data);
}
