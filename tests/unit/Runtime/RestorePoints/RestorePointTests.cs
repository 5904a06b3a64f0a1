using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Restart;
using Etl.Pipeline.Runtime;
using Etl.Tests.Unit.Checkpointing.Storage;
using Etl.Tests.Unit.Runtime.Fakes;
using Etl.Tests.Unit.TwoPhaseCommit;
using Etl.TwoPhaseCommit;

namespace Etl.Tests.Unit.Runtime.RestorePoints;

/// <summary>
/// Which point a start or restart restores, and what the savepoints commit (docs/checkpoints.md, "Restore points"):
/// whatever a restore point committed is never replayed, every savepoint stays restorable, and a job never starts
/// from nothing by accident. The sink is the real <see cref="TwoPhaseCommitSink{TTransaction,T}"/> over a store that
/// behaves like PostgreSQL (lingering prepared transactions are rolled back, a rolled-back one is lost).
/// </summary>
public sealed class RestorePointTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly InMemoryCheckpointStorage _storage = new();
    private readonly InMemoryStore _store = new();
    private readonly SourceGate _gate = new();
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task PlainStart_AfterStopWithSavepoint_ResumesRightAfterTheSavepoint()
    {
        var runner = Runner(new JobOptions("stop-then-start"));
        var run = runner.RunAsync(CancellationToken.None);
        await ReleaseAsync(10);
        await runner.TriggerCheckpointAsync(CancellationToken.None).WaitAsync(Deadline);
        await ReleaseAsync(20);
        await runner.StopWithSavepointAsync(CancellationToken.None).WaitAsync(Deadline);
        await run.WaitAsync(Deadline);
        AssertCommittedOnce(20);

        _gate.End = 30;
        _gate.Allowed = 30;
        await Runner(new JobOptions("stop-then-start")).RunAsync(CancellationToken.None).WaitAsync(Deadline);

        AssertCommittedOnce(30);
    }

    [Fact]
    public async Task IntermediateSavepoint_ThenCrash_PlainStartAndTheSavepointItselfRestoreExactlyOnce()
    {
        using var crash = new CancellationTokenSource();
        var runner = Runner(new JobOptions("savepoint-then-crash"));
        var run = runner.RunAsync(crash.Token);
        await ReleaseAsync(10);
        await runner.TriggerCheckpointAsync(CancellationToken.None).WaitAsync(Deadline);
        await ReleaseAsync(20);
        var savepoint = await runner.TriggerSavepointAsync(CancellationToken.None).WaitAsync(Deadline);
        await crash.CancelAsync(); // before any later checkpoint
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Deadline));

        _gate.End = 20;
        await Runner(new JobOptions("savepoint-then-crash")).RunAsync(CancellationToken.None).WaitAsync(Deadline);
        AssertCommittedOnce(20);

        // The savepoint stays restorable: its transactions are committed (not rolled back as lingering).
        await Runner(new JobOptions("savepoint-then-crash") { RestoreFrom = savepoint.Location }).RunAsync(CancellationToken.None).WaitAsync(Deadline);
        AssertCommittedOnce(20);
    }

    [Fact]
    public async Task StopWithSavepoint_CommitFailsOnOneSubtask_NeverReplaysOverTheCommittedHalf()
    {
        var runner = Runner(new JobOptions("stop-commit-fails"), sinkParallelism: 2, restarts: 3);
        var run = runner.RunAsync(CancellationToken.None);
        await ReleaseAsync(10);
        var checkpoint = await runner.TriggerCheckpointAsync(CancellationToken.None).WaitAsync(Deadline);
        await ReleaseAsync(20);
        var stopId = checkpoint.Id.Next();
        _store.FailingCommits.Add($"txn:1:{stopId}");
        _gate.End = 20; // a restarted attempt may run to the end
        var stop = runner.StopWithSavepointAsync(CancellationToken.None);
        var failure = await Record.ExceptionAsync(() => run.WaitAsync(Deadline));
        await Record.ExceptionAsync(() => stop.WaitAsync(Deadline));

        _store.FailingCommits.Clear();
        await Runner(new JobOptions("stop-commit-fails"), sinkParallelism: 2).RunAsync(CancellationToken.None).WaitAsync(Deadline);

        AssertCommittedOnce(20);
        var incomplete = Assert.IsType<StopWithSavepointIncompleteException>(failure);
        Assert.Equal(stopId, incomplete.Savepoint.Id);
    }

    [Fact]
    public async Task PlainStart_NoCheckpointReadable_FailsNamingThem_UnlessStartFresh()
    {
        using var storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_directory.Combine("chk"), _directory.Combine("sp")));
        var runner = Runner(new JobOptions("unreadable"), storage: storage);
        var run = runner.RunAsync(CancellationToken.None);
        await ReleaseAsync(10);
        var checkpoint = await runner.TriggerCheckpointAsync(CancellationToken.None).WaitAsync(Deadline);
        _gate.End = 10;
        var finished = await run.WaitAsync(Deadline);
        foreach (var metadata in new[] { checkpoint.Location, finished.FinishedWith.Location }.Select(l => Path.Combine(l, "_metadata")))
        {
            await File.WriteAllTextAsync(metadata, "torn");
        }

        var refused = await Assert.ThrowsAsync<NoReadableCheckpointException>(
            () => Runner(new JobOptions("unreadable"), storage: storage).RunAsync(CancellationToken.None).WaitAsync(Deadline));
        Assert.Contains(checkpoint.Location, refused.Message, StringComparison.Ordinal);
        Assert.Contains(finished.FinishedWith.Location, refused.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(JobOptions.StartFresh), refused.Message, StringComparison.Ordinal);

        var fresh = await Runner(new JobOptions("unreadable") { StartFresh = true }, storage: storage).RunAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.True(fresh.FinishedWith.Id > finished.FinishedWith.Id, "checkpoint ids never repeat");
    }

    [Fact]
    public async Task Start_SinkCommittedEpochsBeyondTheRestorePoint_IsRefused_AndStartFreshContinuesPastThem()
    {
        var committed = new FixedCommittedEpochs(new CheckpointId(7));
        _gate.End = 5;
        _gate.Allowed = 5;

        var refused = await Assert.ThrowsAsync<CommittedBeyondRestorePointException>(
            () => Runner(new JobOptions("markers-without-checkpoints"), committed: committed).RunAsync(CancellationToken.None).WaitAsync(Deadline));
        Assert.Equal(new CheckpointId(7), refused.HighestCommitted);
        Assert.Contains(nameof(JobOptions.StartFresh), refused.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Committed);

        var fresh = await Runner(new JobOptions("markers-without-checkpoints") { StartFresh = true }, committed: committed)
            .RunAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.True(fresh.FinishedWith.Id > new CheckpointId(7), $"the first id after the markers' 7 was {fresh.FinishedWith.Id}");
        AssertCommittedOnce(5);
    }

    [Fact]
    public async Task CheckpointDurableButReportedFailed_IsStillRestored_NeverRolledBack()
    {
        var failing = new FailingCheckpointStorage(_storage) { FailCommitNumber = 1, FailAfterWrite = true };
        using var crash = new CancellationTokenSource();
        var runner = Runner(new JobOptions("durable-but-failed"), restarts: 3, storage: failing);
        var run = runner.RunAsync(crash.Token);
        await ReleaseAsync(10);
        await Assert.ThrowsAnyAsync<Exception>(() => runner.TriggerCheckpointAsync(CancellationToken.None).WaitAsync(Deadline));
        await WaitUntilAsync(() => runner.Status is { Attempt: 2, State: JobState.Running });
        await Task.Delay(200); // the restarted attempt restores and recovers
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Deadline));

        _gate.End = 10;
        await Runner(new JobOptions("durable-but-failed")).RunAsync(CancellationToken.None).WaitAsync(Deadline);

        AssertCommittedOnce(10);
    }

    public void Dispose() => _directory.Dispose();

    private JobRunner Runner(
        JobOptions options, int sinkParallelism = 1, int restarts = 0, ICheckpointStorage? storage = null, ICommittedEpochs? committed = null)
    {
        var builder = new JobBuilder();
        builder.AddSource("numbers", _ => new GatedSource(_gate))
            .SinkTo("sink", _ => new TwoPhaseCommitSink<InMemoryTransaction, string>(new InMemoryParticipant(_store)), sinkParallelism);
        var strategy = RestartStrategies.Create(
            restarts == 0
                ? new RestartStrategyOptions { Kind = RestartStrategyKind.None }
                : new RestartStrategyOptions { Kind = RestartStrategyKind.FixedDelay, FixedDelay = new() { Attempts = restarts, Delay = TimeSpan.Zero } },
            TimeProvider.System);
        return new JobRunner(builder.Build(), options, storage ?? _storage, restartStrategy: strategy, committedEpochs: committed);
    }

    private async Task ReleaseAsync(int upTo)
    {
        _gate.Allowed = upTo;
        await WaitUntilAsync(() => _gate.Emitted >= upTo);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10);
        }
    }

    private void AssertCommittedOnce(int count) =>
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"o{i}"), _store.Committed.OrderBy(r => int.Parse(r[1..], System.Globalization.CultureInfo.InvariantCulture)));

    private sealed class FixedCommittedEpochs(CheckpointId highest) : ICommittedEpochs
    {
        public ValueTask<CheckpointId> HighestAsync(string jobName, CancellationToken cancellationToken) => ValueTask.FromResult(highest);
    }
}
