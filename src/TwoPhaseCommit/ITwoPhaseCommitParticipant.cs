using Etl.Pipeline;

namespace Etl.TwoPhaseCommit;

/// <summary>
/// The external system's side of a two-phase-commit sink (Flink's TwoPhaseCommitSinkFunction hooks).
/// <see cref="TwoPhaseCommitSink{TTransaction,T}"/> drives it; the protocol steps themselves are fixed
/// there and cannot be changed by a participant.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="bullet">
/// <item>Calls arrive from one logical thread, in this order: <see cref="OpenAsync"/>; on restore
/// <see cref="RecoverAndCommitAsync"/> for every restored pending transaction (oldest checkpoint first) and
/// <see cref="RecoverAndAbortAsync"/> for every restored open one; then <see cref="FinishRecoveryAsync"/>
/// (also on a fresh start); then <see cref="BeginAsync"/>, writes, <see cref="PreCommitAsync"/>,
/// <see cref="BeginAsync"/>, ... with <see cref="CommitAsync"/> in between.</item>
/// <item><see cref="PreCommitAsync"/> makes the transaction durable but invisible (flush, PREPARE) so that a
/// later <see cref="CommitAsync"/> cannot fail for lack of resources. It returns the transaction's handle, a
/// short deterministic string stored in checkpoint state, or null when the transaction wrote nothing (an
/// empty epoch prepares nothing and is not pending).</item>
/// <item>Notifications may be lost, late, or reordered: a transaction may be committed by a later checkpoint,
/// by the restore path of a new instance, or twice. <see cref="CommitAsync"/> and
/// <see cref="RecoverAndCommitAsync"/> must therefore be idempotent: "already committed" is success. A
/// transaction that is neither committed nor committable is lost data: throw, never guess.</item>
/// <item>Commit failures are never swallowed; the sink fails the job with them.</item>
/// <item><see cref="FinishRecoveryAsync"/> aborts transactions the participant prepared after the restored
/// checkpoint (they are not in the restored state; their input will be replayed). It must only touch
/// transactions this subtask owns (<see cref="Etl.Pipeline.State.SubtaskOwnership"/>: its own, and those of old subtasks j &gt;= parallelism with j mod parallelism == this subtask).</item>
/// </list>
/// </remarks>
/// <typeparam name="TTransaction">The open transaction, a live object never put into state.</typeparam>
/// <typeparam name="T">The records the sink writes.</typeparam>
public interface ITwoPhaseCommitParticipant<TTransaction, T> : IAsyncDisposable
    where TTransaction : class
{
    /// <summary>Connects, checks the external system and fences other instances of this subtask.</summary>
    ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken);

    /// <summary>Opens the next transaction. It may defer any remote work until the first write.</summary>
    ValueTask<TTransaction> BeginAsync(CancellationToken cancellationToken);

    /// <summary>A short description of an open transaction for the state (null when there is nothing to abort on restore).</summary>
    string? DescribeOpen(TTransaction transaction);

    ValueTask WriteAsync(TTransaction transaction, StreamRecord<T> record, CancellationToken cancellationToken);

    ValueTask WriteDeadLetterAsync(TTransaction transaction, DeadLetter deadLetter, CancellationToken cancellationToken);

    /// <summary>Pre-commits the transaction for checkpoint <paramref name="checkpointId"/>; null when it is empty.</summary>
    ValueTask<string?> PreCommitAsync(TTransaction transaction, CheckpointId checkpointId, CancellationToken cancellationToken);

    /// <summary>Commits a pre-committed transaction. Idempotent.</summary>
    ValueTask CommitAsync(PendingTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Aborts the open transaction (on close).</summary>
    ValueTask AbortAsync(TTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Commits a pending transaction from restored state. Idempotent; usually already committed.</summary>
    ValueTask RecoverAndCommitAsync(PendingTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Aborts the transaction that was open when the restored checkpoint was taken.</summary>
    ValueTask RecoverAndAbortAsync(string openTransaction, CancellationToken cancellationToken);

    /// <summary>Aborts lingering transactions of this subtask that are not in <paramref name="recovery"/>.</summary>
    ValueTask FinishRecoveryAsync(RecoveryScope recovery, CancellationToken cancellationToken);
}
