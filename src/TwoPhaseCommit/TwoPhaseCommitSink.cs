using Etl.Pipeline;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.TwoPhaseCommit;

/// <summary>
/// The two-phase-commit sink template (DESIGN 3, 4): the protocol is fixed here, the external system is a
/// <see cref="ITwoPhaseCommitParticipant{TTransaction,T}"/>.
/// <list type="bullet">
/// <item>Barrier n (<see cref="SnapshotStateAsync"/>): pre-commit the open transaction and file it as
/// pending under n (unless empty), open the next one, snapshot {pending, open}.</item>
/// <item><see cref="NotifyCheckpointCompleteAsync"/>(n): commit every pending transaction with id &lt;= n in id
/// order (subsuming: notifications may be lost). A failed commit stays pending, and so does everything after
/// it; the failure is thrown, never swallowed.</item>
/// <item><see cref="NotifyCheckpointAbortedAsync"/>: nothing; the transaction stays pending and a later
/// completed checkpoint commits it.</item>
/// <item><see cref="OpenAsync"/> with restored state: commit every restored pending transaction (of every
/// old subtask assigned to this one), abort the restored open ones, then let the participant abort what
/// else lingers.</item>
/// <item>A write, pre-commit or begin that throws has lost the open transaction (PostgreSQL rolls an epoch back
/// on a failed PREPARE or statement). Even when the runtime tolerates the declined checkpoint, nothing may go on
/// into that transaction or past it: from then on every write, barrier and notification throws
/// <see cref="TransactionFailedException"/>, which fails the attempt; the restart replays from the last
/// completed checkpoint. Only <see cref="DisposeAsync"/> still runs (it aborts the broken transaction).</item>
/// </list>
/// </summary>
public sealed partial class TwoPhaseCommitSink<TTransaction, T> : ISink<T>
    where TTransaction : class
{
    private readonly ITwoPhaseCommitParticipant<TTransaction, T> _participant;
    private readonly SortedDictionary<CheckpointId, string> _pending = [];
    private ILogger _logger = NullLogger.Instance;
    private TTransaction? _current;
    private Exception? _failure;
    private string _name = "";

    public TwoPhaseCommitSink(ITwoPhaseCommitParticipant<TTransaction, T> participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        _participant = participant;
    }

    /// <summary>The pre-committed transactions not yet committed, oldest first.</summary>
    public IReadOnlyList<PendingTransaction> Pending => [.. _pending.Select(p => new PendingTransaction(p.Key, p.Value))];

    public async ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _logger = context.LoggerFactory.CreateLogger("Etl.TwoPhaseCommit.TwoPhaseCommitSink");
        _name = $"{context.JobName}/{context.OperatorId}[{context.SubtaskIndex}]";
        await _participant.OpenAsync(context, cancellationToken);

        var committed = new List<PendingTransaction>();
        if (context.Restored is { } restored)
        {
            var states = restored.OperatorState
                .Select(s => TwoPhaseCommitStateCodec.Decode(s.Data, s.SubtaskIndex))
                .ToList();
            var toCommit = states
                .SelectMany(s => s.Pending)
                .Select(p => new PendingTransaction(new CheckpointId(p.CheckpointId), p.Handle))
                .OrderBy(p => p.CheckpointId)
                .ThenBy(p => p.Handle, StringComparer.Ordinal);
            foreach (var pending in toCommit)
            {
                try
                {
                    await _participant.RecoverAndCommitAsync(pending, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException and not TransactionCommitException)
                {
                    throw new TransactionCommitException(
                        $"Sink {_name}: restoring checkpoint {restored.CheckpointId} could not commit transaction " +
                        $"'{pending.Handle}' of checkpoint {pending.CheckpointId}: {e.Message}", e);
                }

                committed.Add(pending);
                LogRecoveredCommit(_logger, _name, pending.Handle, pending.CheckpointId.Value);
            }

            foreach (var open in states.Select(s => s.Open).OfType<string>())
            {
                await _participant.RecoverAndAbortAsync(open, cancellationToken);
            }
        }

        await _participant.FinishRecoveryAsync(new RecoveryScope(context, committed), cancellationToken);
        _current = await _participant.BeginAsync(cancellationToken);
    }

    public ValueTask WriteAsync(StreamRecord<T> input, CancellationToken cancellationToken)
    {
        var transaction = Current;
        var write = _participant.WriteAsync(transaction, input, cancellationToken);
        return write.IsCompletedSuccessfully ? write : Guarded(write);
    }

    public ValueTask WriteDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        var transaction = Current;
        var write = _participant.WriteDeadLetterAsync(transaction, deadLetter, cancellationToken);
        return write.IsCompletedSuccessfully ? write : Guarded(write);
    }

    public async ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var transaction = Current;
        string? handle;
        try
        {
            handle = await _participant.PreCommitAsync(transaction, checkpointId, cancellationToken);
        }
        catch (Exception e)
        {
            // The transaction is gone with whatever the epoch wrote; the runtime may tolerate the declined
            // checkpoint, but this sink must not write on as if it were open.
            Fail(e, $"pre-committing it for checkpoint {checkpointId.Value}");
            throw;
        }

        _current = null;
        if (handle is not null)
        {
            if (!_pending.TryAdd(checkpointId, handle))
            {
                throw new InvalidOperationException(
                    $"Sink {_name}: checkpoint {checkpointId} was snapshotted twice; checkpoint ids must strictly increase.");
            }

            LogPreCommitted(_logger, _name, handle, checkpointId.Value);
        }

        try
        {
            _current = await _participant.BeginAsync(cancellationToken);
        }
        catch (Exception e)
        {
            Fail(e, $"beginning the transaction after checkpoint {checkpointId.Value}");
            throw;
        }

        var state = new TwoPhaseCommitState(
            TwoPhaseCommitState.CurrentVersion,
            [.. _pending.Select(p => new PendingTransactionState(p.Key.Value, p.Value))],
            _participant.DescribeOpen(_current));
        return OperatorSnapshot.Of(TwoPhaseCommitStateCodec.Encode(state));
    }

    public async ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        // Ascending order: an earlier epoch commits before a later one, so later writes win.
        var due = _pending.Where(p => p.Key <= checkpointId).ToList();
        foreach (var (id, handle) in due)
        {
            try
            {
                await _participant.CommitAsync(new PendingTransaction(id, handle), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not TransactionCommitException)
            {
                throw new TransactionCommitException(
                    $"Sink {_name}: transaction '{handle}' of checkpoint {id} did not commit on completion of checkpoint " +
                    $"{checkpointId}: {e.Message}. It stays pending; the job must restart from its last completed checkpoint.", e);
            }

            _pending.Remove(id);
            LogCommitted(_logger, _name, handle, id.Value);
        }

        // The transactions of a completed checkpoint were prepared before any failure and are committed above even
        // so; the failed open one is not, and the attempt must end.
        ThrowIfFailed();
    }

    public ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        // Usually the checkpoint this sink declined because its transaction failed: fail the attempt now rather
        // than at the next record, which an idle stream may not send for a long time.
        ThrowIfFailed();
        // Deliberately nothing: the aborted checkpoint's transaction stays pending and is committed by the
        // next checkpoint that completes (subsuming contract).
        LogAborted(_logger, _name, checkpointId.Value, _pending.Count);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is { } open)
        {
            _current = null;
            try
            {
                await _participant.AbortAsync(open, CancellationToken.None);
            }
            finally
            {
                await _participant.DisposeAsync();
            }
        }
        else
        {
            await _participant.DisposeAsync();
        }
    }

    private TTransaction Current
    {
        get
        {
            ThrowIfFailed();
            return _current ?? throw new InvalidOperationException($"Sink {_name}: no open transaction; OpenAsync was not called or failed.");
        }
    }

    private async ValueTask Guarded(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (Exception e)
        {
            Fail(e, "writing to it");
            throw;
        }
    }

    private void Fail(Exception error, string doing)
    {
        if (_failure is null)
        {
            _failure = new TransactionFailedException(
                $"Sink {_name}: the open transaction failed while {doing} ({error.Message}); what it held since the last barrier is " +
                "gone, so the sink takes no more writes. The job must restart from its last completed checkpoint.", error);
            LogTransactionFailed(_logger, _name, error);
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new TransactionFailedException(failure.Message, failure.InnerException!);
        }
    }

    [LoggerMessage(EventId = 1, EventName = "TransactionPreCommitted", Level = LogLevel.Debug,
        Message = "Sink {Sink}: pre-committed transaction {Handle} for checkpoint {CheckpointId}")]
    private static partial void LogPreCommitted(ILogger logger, string sink, string handle, long checkpointId);

    [LoggerMessage(EventId = 2, EventName = "TransactionCommitted", Level = LogLevel.Debug,
        Message = "Sink {Sink}: committed transaction {Handle} of checkpoint {CheckpointId}")]
    private static partial void LogCommitted(ILogger logger, string sink, string handle, long checkpointId);

    [LoggerMessage(EventId = 3, EventName = "RestoredTransactionCommitted", Level = LogLevel.Information,
        Message = "Sink {Sink}: committed restored transaction {Handle} of checkpoint {CheckpointId}")]
    private static partial void LogRecoveredCommit(ILogger logger, string sink, string handle, long checkpointId);

    [LoggerMessage(EventId = 5, EventName = "TransactionFailed", Level = LogLevel.Warning,
        Message = "Sink {Sink}: the open transaction failed; the sink refuses further writes until the job restarts")]
    private static partial void LogTransactionFailed(ILogger logger, string sink, Exception error);

    [LoggerMessage(EventId = 4, EventName = "CheckpointAborted", Level = LogLevel.Information,
        Message = "Sink {Sink}: checkpoint {CheckpointId} aborted; {PendingCount} transactions stay pending for a later checkpoint")]
    private static partial void LogAborted(ILogger logger, string sink, long checkpointId, int pendingCount);
}
