using System.Globalization;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.TwoPhaseCommit;

namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>
/// The PostgreSQL participant's shape over the <see cref="ExternalSystem"/> model, driven by the real
/// <see cref="TwoPhaseCommitSink{TTransaction,T}"/>: BEGIN with the first batch, a commit marker and PREPARE at the
/// barrier, COMMIT PREPARED with "42704 and a marker" as already committed, lingering gids rolled back on open.
/// It deliberately trusts its own <see cref="ModelEpoch.Begun"/> flag instead of the session's status (as the
/// PostgreSQL participant once did): after a PREPARE the server refused, only the template stands between it and
/// writes that autocommit. Gids are <c>{subtask}:{checkpoint}</c>.
/// </summary>
public sealed class ModelParticipant(ExternalSystem external, FaultPlan faults) : ITwoPhaseCommitParticipant<ModelEpoch, Sum>
{
    private const int BatchSize = 3;
    private ExternalSession _session = null!;

    /// <summary>The sink the tests run: the template over this participant.</summary>
    public static ISink<Sum> Sink(ExternalSystem external, FaultPlan faults) =>
        new TwoPhaseCommitSink<ModelEpoch, Sum>(new ModelParticipant(external, faults));
    private int _subtask;
    private bool _failNext;

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _subtask = context.SubtaskIndex;
        _session = external.OpenSession();
        return ValueTask.CompletedTask;
    }

    public ValueTask<ModelEpoch> BeginAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new ModelEpoch());

    public string? DescribeOpen(ModelEpoch transaction) => null;

    public ValueTask WriteAsync(ModelEpoch transaction, StreamRecord<Sum> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        FailIfArmed();
        faults.Hit(FaultPoint.SinkWrite);
        transaction.Rows.Add(record.Value);
        if (transaction.Rows.Count >= BatchSize)
        {
            Flush(transaction);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask WriteDeadLetterAsync(ModelEpoch transaction, DeadLetter deadLetter, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The property job has no dead letters.");

    public ValueTask<string?> PreCommitAsync(ModelEpoch transaction, CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        faults.Hit(FaultPoint.SinkBeforeSnapshot);
        Flush(transaction);
        if (!transaction.Begun)
        {
            return ValueTask.FromResult<string?>(null);
        }

        var gid = string.Create(CultureInfo.InvariantCulture, $"{_subtask}:{checkpointId.Value}");
        _session.InsertMarker(gid);
        _session.Prepare(gid, refused: faults.Due(FaultPoint.SinkPrepare));
        transaction.Begun = false;
        _failNext |= faults.Due(FaultPoint.SinkAfterSnapshot);
        return ValueTask.FromResult<string?>(gid);
    }

    public ValueTask CommitAsync(PendingTransaction transaction, CancellationToken cancellationToken)
    {
        FailIfArmed();
        faults.Hit(FaultPoint.SinkBeforeNotify);
        Commit(transaction.Handle);
        faults.Hit(FaultPoint.SinkAfterNotify);
        return ValueTask.CompletedTask;
    }

    public ValueTask AbortAsync(ModelEpoch transaction, CancellationToken cancellationToken)
    {
        _session.Rollback();
        return ValueTask.CompletedTask;
    }

    public ValueTask RecoverAndCommitAsync(PendingTransaction transaction, CancellationToken cancellationToken)
    {
        Commit(transaction.Handle);
        return ValueTask.CompletedTask;
    }

    public ValueTask RecoverAndAbortAsync(string openTransaction, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask FinishRecoveryAsync(RecoveryScope recovery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recovery);
        var parallelism = recovery.Context.Parallelism;
        var keep = recovery.Committed.Select(c => c.Handle).ToHashSet(StringComparer.Ordinal);
        foreach (var gid in external.PreparedGids())
        {
            var owner = int.Parse(gid.Split(':')[0], CultureInfo.InvariantCulture);
            if (SubtaskOwnership.Owns(_subtask, owner, parallelism) && !keep.Contains(gid))
            {
                external.RollbackPrepared(gid);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _session?.Rollback();
        return ValueTask.CompletedTask;
    }

    private void Flush(ModelEpoch epoch)
    {
        if (epoch.Rows.Count == 0)
        {
            return;
        }

        if (!epoch.Begun)
        {
            _session.Begin();
            epoch.Begun = true;
        }

        _session.Insert(epoch.Rows);
        epoch.Rows.Clear();
    }

    private void Commit(string gid)
    {
        try
        {
            external.CommitPrepared(gid);
        }
        catch (ExternalSqlException e) when (e.SqlState == "42704" && external.HasMarker(gid))
        {
            // Committed before (by an earlier notification or restore): the marker was written inside it.
        }
    }

    private void FailIfArmed()
    {
        if (_failNext)
        {
            _failNext = false;
            throw new InjectedFailureException(FaultPoint.SinkAfterSnapshot);
        }
    }
}
