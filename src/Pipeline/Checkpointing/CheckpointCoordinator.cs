using System.Threading.Channels;
using Etl.Pipeline.Metrics;
using Microsoft.Extensions.Logging;

namespace Etl.Pipeline.Checkpointing;

/// <summary>
/// Triggers checkpoints at the sources, collects every subtask's acknowledgement, makes the checkpoint
/// durable through storage and only then notifies completion (DESIGN 3). One coordinator per job
/// attempt; everything it owns is touched by its own loop only, so it needs no locks.
/// </summary>
internal sealed class CheckpointCoordinator
{
    private readonly string _jobName;
    private readonly CheckpointingOptions _options;
    private readonly int _maxParallelism;
    private readonly ICheckpointStorage _storage;
    private readonly ICheckpointParticipants _participants;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<CoordinatorEvent> _events = Channel.CreateUnbounded<CoordinatorEvent>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly PendingCheckpoints _pending;
    private readonly HashSet<SubtaskId> _endedSubtasks = [];
    private readonly int _subtaskCount;
    private CheckpointId _nextId;
    private DateTimeOffset _lastTrigger;
    private DateTimeOffset? _lastCompletion;
    private int _consecutiveFailures;
    private bool _stopping;
    private bool _finalTriggered;
    private bool _finished;

    public CheckpointCoordinator(
        string jobName, CheckpointingOptions options, int maxParallelism, ICheckpointStorage storage,
        ICheckpointParticipants participants, TimeProvider time, ILogger logger)
    {
        _jobName = jobName;
        _options = options;
        _maxParallelism = maxParallelism;
        _storage = storage;
        _participants = participants;
        _time = time;
        _logger = logger;
        _subtaskCount = participants.Operators.Sum(o => o.Parallelism);
        _pending = new PendingCheckpoints(_subtaskCount);
    }

    /// <summary>The newest checkpoint or savepoint completed by this attempt, if any.</summary>
    public CheckpointHandle? LastCompleted { get; private set; }

    /// <summary>Where triggers, acknowledgements, completions and aborts are recorded for the operator's view; null records nothing.</summary>
    public CheckpointHistory? History { get; init; }

    /// <summary>Set when the job finished: the final checkpoint or the stop-with-savepoint savepoint.</summary>
    public CheckpointHandle? FinishedWith { get; private set; }

    public Task<CheckpointHandle> TriggerAsync(CheckpointKind kind, bool stopAfter)
    {
        var completion = new TaskCompletionSource<CheckpointHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_events.Writer.TryWrite(new CoordinatorEvent.TriggerRequested(kind, stopAfter, completion)))
        {
            throw new InvalidOperationException("The job is not running (it is restarting, finished or failed); trigger again once it runs.");
        }

        return completion.Task;
    }

    public void Acknowledge(SubtaskId subtask, CheckpointId id, State.OperatorSnapshot snapshot) =>
        _events.Writer.TryWrite(new CoordinatorEvent.Acknowledged(subtask, id, snapshot));

    public void Decline(SubtaskId subtask, CheckpointId id, Exception error) =>
        _events.Writer.TryWrite(new CoordinatorEvent.Declined(subtask, id, error));

    public void ReportEndOfInput(SubtaskId subtask) => _events.Writer.TryWrite(new CoordinatorEvent.EndOfInput(subtask));

    /// <summary>Evaluates timeouts and periodic triggers now (tests drive a fake clock with it).</summary>
    public Task TickAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _events.Writer.TryWrite(new CoordinatorEvent.Tick(done)) ? done.Task : Task.CompletedTask;
    }

    /// <summary>
    /// Runs until the job finished (returns) or checkpoint failures exceeded the tolerance (throws
    /// <see cref="CheckpointFailedException"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new CoordinatorTimer(_time);
        try
        {
            _nextId = (await _storage.HighestIdAsync(_jobName, cancellationToken)).Next();
            _lastTrigger = _time.GetUtcNow();
            while (!_finished)
            {
                while (!_finished && _events.Reader.TryRead(out var next))
                {
                    await HandleAsync(next, cancellationToken);
                }

                if (_finished)
                {
                    break;
                }

                await CheckTimersAsync(cancellationToken);
                await timer.WaitAsync(_events.Reader, NextDeadline(), cancellationToken);
            }
        }
        finally
        {
            FailOutstanding();
        }
    }

    /// <summary>The attempt ended: nobody may wait forever on a checkpoint that can no longer complete.</summary>
    private void FailOutstanding()
    {
        _events.Writer.TryComplete();
        var ended = new CheckpointFailedException(CheckpointId.None, CheckpointFailureReason.JobEnded, "the job attempt ended before the checkpoint completed");
        _pending.FailAll(ended);
        History?.AttemptEnded(_time.GetUtcNow());

        while (_events.Reader.TryRead(out var left))
        {
            (left as CoordinatorEvent.TriggerRequested)?.Completion.TrySetException(ended);
            (left as CoordinatorEvent.Tick)?.Done.TrySetResult();
        }
    }

    private async ValueTask HandleAsync(CoordinatorEvent next, CancellationToken cancellationToken)
    {
        switch (next)
        {
            case CoordinatorEvent.Acknowledged ack:
                History?.Acknowledged(ack.Id, ack.Subtask, _time.GetUtcNow());
                if (_pending.Acknowledge(ack.Subtask, ack.Id, ack.Snapshot) is { } acknowledged)
                {
                    await CompleteAsync(acknowledged, cancellationToken);
                }

                break;
            case CoordinatorEvent.Declined decline:
                if (_pending.TryGet(decline.Id, out var declined))
                {
                    Abort(declined, CheckpointFailureReason.SnapshotFailed, decline.Error, $"subtask {decline.Subtask} failed its snapshot");
                }

                break;
            case CoordinatorEvent.EndOfInput end:
                _endedSubtasks.Add(end.Subtask);
                break;
            case CoordinatorEvent.TriggerRequested request:
                if (_stopping || _finalTriggered)
                {
                    request.Completion.TrySetException(new InvalidOperationException(
                        "The job is finishing (stop-with-savepoint or end of input); no further checkpoints are taken."));
                    break;
                }

                _stopping = request.StopAfter;
                await TriggerAsync(request.Kind, periodic: false, final: false, request.StopAfter, request.Completion, cancellationToken);
                break;
            case CoordinatorEvent.Tick tick:
                try
                {
                    await CheckTimersAsync(cancellationToken);
                }
                finally
                {
                    // Also when the tick failed the attempt: whoever waits on it must not hang.
                    tick.Done.TrySetResult();
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown coordinator event {next.GetType().Name}.");
        }
    }

    private async ValueTask CheckTimersAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var pending in _pending.Expired(now, _options.Timeout))
        {
            Abort(pending, CheckpointFailureReason.Timeout, null, $"not acknowledged by every subtask within {_options.Timeout}");
        }

        if (_finished || _stopping)
        {
            return;
        }

        if (_endedSubtasks.Count == _subtaskCount)
        {
            if (!_finalTriggered && _pending.Count == 0)
            {
                _finalTriggered = true;
                CheckpointCoordinatorLog.FinalTriggered(_logger, _jobName, _nextId);
                await TriggerAsync(CheckpointKind.Checkpoint, periodic: false, final: true, stopAfter: false, null, cancellationToken);
            }

            return;
        }

        if (CheckpointTriggerRules.NextPeriodicTrigger(_options, _lastTrigger, _lastCompletion, _pending.Count) is { } due && due <= now)
        {
            await TriggerAsync(CheckpointKind.Checkpoint, periodic: true, final: false, stopAfter: false, null, cancellationToken);
        }
    }

    private DateTimeOffset? NextDeadline() =>
        CheckpointTriggerRules.NextDeadline(
            _options, _pending.TriggeredAt,
            periodicAllowed: !_stopping && _endedSubtasks.Count < _subtaskCount, _lastTrigger, _lastCompletion);

    private async ValueTask TriggerAsync(
        CheckpointKind kind, bool periodic, bool final, bool stopAfter, TaskCompletionSource<CheckpointHandle>? waiter,
        CancellationToken cancellationToken)
    {
        var id = _nextId;
        _nextId = id.Next();
        var now = _time.GetUtcNow();
        var pending = new PendingCheckpoint(new CheckpointBarrier(id, now.ToUnixTimeMilliseconds(), kind), now, periodic, final, stopAfter);
        pending.AddWaiter(waiter);
        _lastTrigger = now;
        History?.Triggered(id, kind, now, _subtaskCount);
        _pending.Add(pending);
        try
        {
            // Reserve before any barrier exists, so a crash from here on can never reuse the id.
            await _storage.ReserveAsync(_jobName, id, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Abort(pending, CheckpointFailureReason.StorageFailed, error, "reserving the id in checkpoint storage failed");
            return;
        }

        CheckpointCoordinatorLog.Triggered(_logger, _jobName, kind, id);
        _participants.TriggerSources(pending.Barrier, stopAfter);
    }

    private async ValueTask CompleteAsync(PendingCheckpoint pending, CancellationToken cancellationToken)
    {
        _pending.Remove(pending.Id);
        var data = pending.ToCheckpointData(_jobName, _participants.Operators, _maxParallelism);
        CheckpointHandle handle;
        try
        {
            handle = await _storage.CommitAsync(data, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Abort(pending, CheckpointFailureReason.StorageFailed, error, "writing the checkpoint to storage failed");
            return;
        }

        // Durable from here on: only now may anyone be told it is complete.
        var now = _time.GetUtcNow();
        _lastCompletion = now;
        _consecutiveFailures = 0;
        LastCompleted = handle;
        History?.Completed(handle, now);
        var durationMs = (now - pending.TriggeredAt).TotalMilliseconds;
        PipelineMetrics.CheckpointCompleted(handle, durationMs);
        CheckpointCoordinatorLog.Completed(_logger, _jobName, handle.Kind, handle.Id, handle.Location, handle.SizeInBytes, durationMs);

        foreach (var older in _pending.RemoveSubsumedBy(pending.Id))
        {
            _participants.NotifyAborted(older.Id);
            History?.Failed(older.Id, now, CheckpointFailureReason.Subsumed, $"checkpoint {pending.Id} completed first");
            older.Fail(new CheckpointFailedException(older.Id, CheckpointFailureReason.Subsumed, $"checkpoint {pending.Id} completed first"));
        }

        // Every savepoint is a restore point like a checkpoint (storage's latest is the newest of both), so it
        // commits its side effects: a start or restart restores it (or something newer), never an older point that
        // would replay what it committed, and its transactions are never rolled back as lingering (DESIGN 4).
        _participants.NotifyComplete(pending.Id);

        if (pending.Final || pending.StopAfter)
        {
            FinishedWith = handle;
            _finished = true;
            _participants.Stop();
        }

        pending.Complete(handle);
    }

    private void Abort(PendingCheckpoint pending, CheckpointFailureReason reason, Exception? error, string message)
    {
        _pending.Remove(pending.Id);
        _participants.NotifyAborted(pending.Id);
        var failure = new CheckpointFailedException(pending.Id, reason, message, error);
        pending.Fail(failure);
        PipelineMetrics.CheckpointFailed(reason);
        History?.Failed(pending.Id, _time.GetUtcNow(), reason, message);
        _consecutiveFailures++;
        CheckpointCoordinatorLog.Aborted(_logger, _jobName, pending.Id, reason, _consecutiveFailures, _options.TolerableFailures, error);
        if (pending.StopAfter)
        {
            _stopping = false;
        }

        if (pending.Final)
        {
            _finalTriggered = false;
        }

        if (_consecutiveFailures > _options.TolerableFailures)
        {
            throw new CheckpointFailedException(pending.Id, reason,
                $"{_consecutiveFailures} consecutive checkpoint failures exceed Checkpointing.TolerableFailures = {_options.TolerableFailures}; failing the job attempt. Last: {message}",
                error);
        }
    }
}
