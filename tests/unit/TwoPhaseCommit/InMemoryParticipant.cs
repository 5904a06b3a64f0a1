using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.TwoPhaseCommit;

namespace Etl.Tests.Unit.TwoPhaseCommit;

/// <summary>A hand-written participant over <see cref="InMemoryStore"/>; handles are <c>txn:{subtask}:{checkpoint}</c>.</summary>
public sealed class InMemoryParticipant(InMemoryStore store) : ITwoPhaseCommitParticipant<InMemoryTransaction, string>
{
    private int _subtask;
    private int _begun;

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        _subtask = context.SubtaskIndex;
        store.Calls.Add("open");
        return ValueTask.CompletedTask;
    }

    public ValueTask<InMemoryTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        store.Calls.Add("begin");
        return ValueTask.FromResult(new InMemoryTransaction(++_begun));
    }

    public string? DescribeOpen(InMemoryTransaction transaction) => $"open:{_subtask}:{transaction.Number}";

    public ValueTask WriteAsync(InMemoryTransaction transaction, StreamRecord<string> record, CancellationToken cancellationToken)
    {
        ThrowIfAborted(transaction);
        transaction.Rows.Add(record.Value);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteDeadLetterAsync(InMemoryTransaction transaction, DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ThrowIfAborted(transaction);
        transaction.Rows.Add($"dead:{deadLetter.Reason}");
        return ValueTask.CompletedTask;
    }

    public ValueTask<string?> PreCommitAsync(InMemoryTransaction transaction, CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        // PREPARE with no transaction in progress prepares nothing: never a success.
        ThrowIfAborted(transaction);
        if (transaction.Rows.Count == 0)
        {
            store.Calls.Add($"precommit-empty {checkpointId}");
            return ValueTask.FromResult<string?>(null);
        }

        var handle = $"txn:{_subtask}:{checkpointId}";
        if (store.FailingPrepares.Contains(handle))
        {
            transaction.Aborted = true;
            transaction.Rows.Clear();
            store.Calls.Add($"precommit-refused {handle}");
            throw new InvalidOperationException($"23514: PREPARE of {handle} refused; the transaction was rolled back");
        }

        store.Prepared[handle] = [.. transaction.Rows];
        store.Calls.Add($"precommit {handle}");
        return ValueTask.FromResult<string?>(handle);
    }

    public ValueTask CommitAsync(PendingTransaction transaction, CancellationToken cancellationToken)
    {
        store.Calls.Add($"commit {transaction.Handle}");
        store.Commit(transaction.Handle);
        return ValueTask.CompletedTask;
    }

    public ValueTask AbortAsync(InMemoryTransaction transaction, CancellationToken cancellationToken)
    {
        store.Calls.Add($"abort {transaction.Number}");
        return ValueTask.CompletedTask;
    }

    public ValueTask RecoverAndCommitAsync(PendingTransaction transaction, CancellationToken cancellationToken)
    {
        store.Calls.Add($"recover-commit {transaction.Handle}");
        store.Commit(transaction.Handle);
        return ValueTask.CompletedTask;
    }

    public ValueTask RecoverAndAbortAsync(string openTransaction, CancellationToken cancellationToken)
    {
        store.Calls.Add($"recover-abort {openTransaction}");
        return ValueTask.CompletedTask;
    }

    public ValueTask FinishRecoveryAsync(RecoveryScope recovery, CancellationToken cancellationToken)
    {
        var parallelism = recovery.Context.Parallelism;
        var keep = recovery.Committed.Select(c => c.Handle).ToHashSet(StringComparer.Ordinal);
        foreach (var handle in store.Prepared.Keys.ToList())
        {
            var owner = int.Parse(handle.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            var owns = SubtaskOwnership.Owns(_subtask, owner, parallelism);
            if (owns && !keep.Contains(handle))
            {
                store.Prepared.Remove(handle);
                store.Calls.Add($"rollback {handle}");
            }
        }

        return ValueTask.CompletedTask;
    }

    private static void ThrowIfAborted(InMemoryTransaction transaction)
    {
        if (transaction.Aborted)
        {
            throw new InvalidOperationException("25P02: current transaction is aborted, commands ignored until end of transaction block");
        }
    }

    public ValueTask DisposeAsync()
    {
        store.Calls.Add("dispose");
        return ValueTask.CompletedTask;
    }
}
