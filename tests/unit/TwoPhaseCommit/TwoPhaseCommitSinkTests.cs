using System.Text;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Tests.Unit.Harness;
using Etl.TwoPhaseCommit;

namespace Etl.Tests.Unit.TwoPhaseCommit;

public sealed class TwoPhaseCommitSinkTests
{
    private readonly InMemoryStore _store = new();

    [Fact]
    public async Task Barrier_PreCommitsAndFilesPending_CommitsOnlyWhenCheckpointCompletes()
    {
        await using var h = await OpenAsync();
        await h.WriteAsync("a");
        await h.WriteAsync("b");

        await h.SnapshotAsync(1);

        Assert.Empty(_store.Committed);
        Assert.Equal(["a", "b"], _store.Prepared["txn:0:1"]);
        await h.NotifyCompleteAsync(1);
        Assert.Equal(["a", "b"], _store.Committed);
        Assert.Empty(_store.Prepared);
    }

    [Fact]
    public async Task RefusedPreCommit_WhileTheCheckpointFailureIsTolerated_RefusesEveryLaterWriteAndBarrier()
    {
        _store.FailingPrepares.Add("txn:0:2");
        await using var h = await OpenAsync();
        await h.WriteAsync("a");
        await h.SnapshotAsync(1);
        await h.WriteAsync("b");
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await h.SnapshotAsync(2));

        // The runtime declines 2 and, tolerating it, notifies the abort and goes on: the sink must end the attempt.
        await Assert.ThrowsAsync<TransactionFailedException>(async () => await h.NotifyAbortedAsync(2));
        await Assert.ThrowsAsync<TransactionFailedException>(async () => await h.WriteAsync("c"));
        await Assert.ThrowsAsync<TransactionFailedException>(async () => await h.SnapshotAsync(3));
        // Checkpoint 1 completed before the failure: its transaction still commits, then the failure is reported.
        await Assert.ThrowsAsync<TransactionFailedException>(async () => await h.NotifyCompleteAsync(1));

        Assert.Equal(["a"], _store.Committed);
        Assert.DoesNotContain(_store.Calls, c => c.StartsWith("precommit txn:0:3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompletionOfN_CommitsEveryPendingUpToN_InCheckpointOrder()
    {
        var sink = Sink();
        await using var h = await SinkHarness.OpenAsync(sink);
        foreach (var id in new long[] { 1, 2, 3 })
        {
            await h.WriteAsync($"r{id}");
            await h.SnapshotAsync(id);
        }

        await h.NotifyCompleteAsync(2);

        Assert.Equal(["r1", "r2"], _store.Committed);
        Assert.Equal([new PendingTransaction(new CheckpointId(3), "txn:0:3")], sink.Pending);
        Assert.Equal(["commit txn:0:1", "commit txn:0:2"], _store.Calls.Where(c => c.StartsWith("commit", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LateOrRepeatedNotification_CommitsNothingTwice()
    {
        await using var h = await OpenAsync();
        await h.WriteAsync("a");
        await h.SnapshotAsync(1);
        await h.WriteAsync("b");
        await h.SnapshotAsync(2);

        await h.NotifyCompleteAsync(2);
        await h.NotifyCompleteAsync(1);
        await h.NotifyCompleteAsync(2);

        Assert.Equal(["a", "b"], _store.Committed);
        Assert.Equal(2, _store.Calls.Count(c => c.StartsWith("commit", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AbortedCheckpoint_StaysPending_AndIsCommittedByTheNextCompletedOne()
    {
        var sink = Sink();
        await using var h = await SinkHarness.OpenAsync(sink);
        await h.WriteAsync("a");
        await h.SnapshotAsync(1);
        await h.NotifyAbortedAsync(1);
        Assert.Single(sink.Pending);
        Assert.Empty(_store.Committed);

        await h.WriteAsync("b");
        await h.SnapshotAsync(2);
        await h.NotifyCompleteAsync(2);

        Assert.Equal(["a", "b"], _store.Committed);
        Assert.Empty(sink.Pending);
    }

    [Fact]
    public async Task EmptyEpoch_PreparesNothing_AndIsNotPending()
    {
        var sink = Sink();
        await using var h = await SinkHarness.OpenAsync(sink);

        var snapshot = await h.SnapshotAsync(1);

        Assert.Empty(sink.Pending);
        Assert.Empty(_store.Prepared);
        Assert.DoesNotContain("\"handle\"", Encoding.UTF8.GetString(snapshot.OperatorState!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitFailure_FailsLoudly_AndKeepsTheFailedAndLaterTransactionsPending()
    {
        var sink = Sink();
        await using var h = await SinkHarness.OpenAsync(sink);
        foreach (var id in new long[] { 1, 2, 3 })
        {
            await h.WriteAsync($"r{id}");
            await h.SnapshotAsync(id);
        }

        _store.FailingCommits.Add("txn:0:2");

        var error = await Assert.ThrowsAsync<TransactionCommitException>(async () => await h.NotifyCompleteAsync(3));
        Assert.Contains("txn:0:2", error.Message, StringComparison.Ordinal);
        Assert.Equal(["r1"], _store.Committed);
        Assert.Equal(["txn:0:2", "txn:0:3"], sink.Pending.Select(p => p.Handle));

        _store.FailingCommits.Clear();
        await h.NotifyCompleteAsync(3);
        Assert.Equal(["r1", "r2", "r3"], _store.Committed);
    }

    [Fact]
    public async Task Restore_CommitsRestoredPending_AbortsTheOpenOne_AndRollsBackLaterEpochs()
    {
        var first = await OpenAsync();
        await first.WriteAsync("a");
        var checkpoint1 = await first.SnapshotAsync(1);
        await first.WriteAsync("b");
        await first.SnapshotAsync(2);
        // Crash: checkpoint 2 never completed, no notification reached the sink, no dispose.

        await using var restored = await SinkHarness.RestoreAsync(Sink(), 1, [checkpoint1]);

        Assert.Equal(["a"], _store.Committed);
        Assert.Empty(_store.Prepared);
        Assert.Contains("recover-commit txn:0:1", _store.Calls);
        Assert.Contains("recover-abort open:0:2", _store.Calls);
        Assert.Contains("rollback txn:0:2", _store.Calls);
    }

    [Fact]
    public async Task Restore_OfAnAlreadyCommittedTransaction_IsSuccess()
    {
        var first = await OpenAsync();
        await first.WriteAsync("a");
        var checkpoint1 = await first.SnapshotAsync(1);
        await first.NotifyCompleteAsync(1);

        await using var restored = await SinkHarness.RestoreAsync(Sink(), 1, [checkpoint1]);

        Assert.Equal(["a"], _store.Committed);
    }

    [Fact]
    public async Task Restore_OfALostTransaction_FailsLoudly()
    {
        var first = await OpenAsync();
        await first.WriteAsync("a");
        var checkpoint1 = await first.SnapshotAsync(1);
        _store.Prepared.Remove("txn:0:1");

        var error = await Assert.ThrowsAsync<TransactionCommitException>(() => SinkHarness.RestoreAsync(Sink(), 1, [checkpoint1]));

        Assert.Contains("txn:0:1", error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Committed);
    }

    [Fact]
    public async Task Restore_AfterScaleDown_CommitsPendingOfEveryOldSubtaskAssignedToIt()
    {
        var snapshots = new List<OperatorSnapshot>();
        for (var subtask = 0; subtask < 3; subtask++)
        {
            var old = await SinkHarness.OpenAsync(Sink(), subtask, parallelism: 3);
            await old.WriteAsync($"s{subtask}");
            snapshots.Add(await old.SnapshotAsync(5));
        }

        await using var zero = await SinkHarness.RestoreAsync(Sink(), 5, snapshots, subtaskIndex: 0, parallelism: 2);

        Assert.Equal(["s0", "s2"], _store.Committed);
        Assert.Equal(["txn:1:5"], _store.Prepared.Keys);
        await using var one = await SinkHarness.RestoreAsync(Sink(), 5, snapshots, subtaskIndex: 1, parallelism: 2);
        Assert.Equal(["s0", "s2", "s1"], _store.Committed);
    }

    [Fact]
    public async Task Restore_OfAStateWithAnUnknownVersion_Fails()
    {
        var state = OperatorSnapshot.Of(Encoding.UTF8.GetBytes("""{"version":99,"pending":[],"open":null}"""));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SinkHarness.RestoreAsync(Sink(), 1, [state]));

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLetters_GoIntoTheSameTransactionAsTheRecords()
    {
        await using var h = await OpenAsync();
        await h.WriteAsync("a");
        await h.WriteDeadLetterAsync(new DeadLetter(null, null, [1], DeadLetterReasons.Validation, "bad", 0));
        await h.SnapshotAsync(1);
        await h.NotifyCompleteAsync(1);

        Assert.Equal(["a", "dead:validation"], _store.Committed);
    }

    [Fact]
    public async Task Dispose_AbortsTheOpenTransaction_AndLeavesPreparedOnesPending()
    {
        var h = await OpenAsync();
        await h.WriteAsync("a");
        await h.SnapshotAsync(1);
        await h.WriteAsync("b");

        await h.DisposeAsync();

        Assert.Contains("abort 2", _store.Calls);
        Assert.Equal(["a"], _store.Prepared["txn:0:1"]);
        Assert.Equal("dispose", _store.Calls[^1]);
    }

    private TwoPhaseCommitSink<InMemoryTransaction, string> Sink() => new(new InMemoryParticipant(_store));

    private Task<SinkHarness<string>> OpenAsync() => SinkHarness.OpenAsync<string>(Sink());
}
