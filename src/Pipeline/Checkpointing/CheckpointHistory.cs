namespace Etl.Pipeline.Checkpointing;

/// <summary>
/// The recent checkpoints and savepoints of a job across its attempts, as an operator's page shows them (Flink's
/// checkpoint history): trigger time, duration, size, the subtask that acknowledged last, and how long the sink
/// took to prepare and to commit; plus counts since start and the attempts with the point each restored. The
/// coordinator, the runner and the sink subtasks record into it; readers get copies. Monitoring only: nothing in the
/// protocol reads it back.
/// </summary>
public sealed class CheckpointHistory
{
    public const int DefaultCapacity = 60;

    // Guards everything below: the coordinator loop, the sink subtasks and the runner write, the endpoint reads.
    private readonly Lock _lock = new();
    private readonly Queue<Entry> _order = new();
    private readonly Dictionary<CheckpointId, Entry> _byId = [];
    private readonly int _capacity;
    private JobAttemptInfo? _first;
    private JobAttemptInfo? _current;
    private long _completed;
    private long _failed;

    /// <param name="capacity">How many of the newest checkpoints to keep (older ones are forgotten; the counts go on).</param>
    public CheckpointHistory(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>The first attempt of this history (its start is the job's uptime), or null before any.</summary>
    public JobAttemptInfo? FirstAttempt
    {
        get
        {
            lock (_lock)
            {
                return _first;
            }
        }
    }

    /// <summary>The newest attempt, or null before any.</summary>
    public JobAttemptInfo? CurrentAttempt
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public long CompletedCount => Interlocked.Read(ref _completed);

    public long FailedCount => Interlocked.Read(ref _failed);

    /// <summary>The kept checkpoints, newest first.</summary>
    public IReadOnlyList<CheckpointStats> Snapshot()
    {
        lock (_lock)
        {
            return [.. _order.Reverse().Select(e => e.ToStats())];
        }
    }

    /// <summary>The sink subtask flushed and prepared its transaction for <paramref name="id"/> in <paramref name="milliseconds"/>.</summary>
    internal void SinkPrepared(CheckpointId id, double milliseconds)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var entry))
            {
                entry.SinkPrepareMs = Math.Max(entry.SinkPrepareMs ?? 0, milliseconds);
            }
        }
    }

    /// <summary>The sink subtask committed on completion of <paramref name="id"/> in <paramref name="milliseconds"/>.</summary>
    internal void SinkCommitted(CheckpointId id, double milliseconds)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var entry))
            {
                entry.SinkCommitMs = Math.Max(entry.SinkCommitMs ?? 0, milliseconds);
            }
        }
    }

    internal void AttemptStarted(JobAttemptInfo attempt)
    {
        lock (_lock)
        {
            _first ??= attempt;
            _current = attempt;
        }
    }

    internal void Triggered(CheckpointId id, CheckpointKind kind, DateTimeOffset at, int subtasks)
    {
        lock (_lock)
        {
            var entry = new Entry(id, kind, _current?.Attempt ?? 0, at, subtasks);
            _byId[id] = entry;
            _order.Enqueue(entry);
            while (_order.Count > _capacity)
            {
                _byId.Remove(_order.Dequeue().Id);
            }
        }
    }

    internal void Acknowledged(CheckpointId id, SubtaskId subtask, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var entry) && entry.Status == CheckpointStatus.InProgress)
            {
                entry.Acknowledged++;
                var after = (at - entry.TriggeredAt).TotalMilliseconds;
                if (entry.SlowestAck is not { } slowest || after >= slowest.AfterMs)
                {
                    entry.SlowestAck = new SubtaskAck(subtask, after);
                }
            }
        }
    }

    internal void Completed(CheckpointHandle handle, DateTimeOffset at)
    {
        Interlocked.Increment(ref _completed);
        lock (_lock)
        {
            if (_byId.TryGetValue(handle.Id, out var entry))
            {
                entry.Status = CheckpointStatus.Completed;
                entry.DurationMs = (at - entry.TriggeredAt).TotalMilliseconds;
                entry.SizeBytes = handle.SizeInBytes;
                entry.Location = handle.Location;
            }
        }
    }

    internal void Failed(CheckpointId id, DateTimeOffset at, CheckpointFailureReason reason, string message)
    {
        Interlocked.Increment(ref _failed);
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var entry) && entry.Status == CheckpointStatus.InProgress)
            {
                entry.Status = CheckpointStatus.Failed;
                entry.DurationMs = (at - entry.TriggeredAt).TotalMilliseconds;
                entry.Failure = $"{reason}: {message}";
            }
        }
    }

    /// <summary>The attempt ended: what it left in progress can no longer complete.</summary>
    internal void AttemptEnded(DateTimeOffset at)
    {
        lock (_lock)
        {
            foreach (var entry in _order.Where(e => e.Status == CheckpointStatus.InProgress))
            {
                Interlocked.Increment(ref _failed);
                entry.Status = CheckpointStatus.Failed;
                entry.DurationMs = (at - entry.TriggeredAt).TotalMilliseconds;
                entry.Failure = $"{CheckpointFailureReason.JobEnded}: the job attempt ended before the checkpoint completed";
            }
        }
    }

    private sealed class Entry(CheckpointId id, CheckpointKind kind, int attempt, DateTimeOffset triggeredAt, int subtasks)
    {
        public CheckpointId Id { get; } = id;

        public DateTimeOffset TriggeredAt { get; } = triggeredAt;

        public CheckpointStatus Status { get; set; }

        public double? DurationMs { get; set; }

        public long? SizeBytes { get; set; }

        public string? Location { get; set; }

        public int Acknowledged { get; set; }

        public SubtaskAck? SlowestAck { get; set; }

        public double? SinkPrepareMs { get; set; }

        public double? SinkCommitMs { get; set; }

        public string? Failure { get; set; }

        public CheckpointStats ToStats() => new(
            Id, kind, Status, attempt, TriggeredAt, DurationMs, SizeBytes, Location, Acknowledged, subtasks, SlowestAck,
            SinkPrepareMs, SinkCommitMs, Failure);
    }
}
