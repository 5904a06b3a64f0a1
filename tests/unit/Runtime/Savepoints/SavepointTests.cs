using Etl.Pipeline;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;
using Etl.Tests.Unit.Runtime.ExactlyOnce;

namespace Etl.Tests.Unit.Runtime.Savepoints;

public sealed class SavepointTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly InMemoryCheckpointStorage _storage = new();
    private readonly FaultPlan _noFaults = new();

    [Fact]
    public async Task Savepoint_WhileRunning_ReturnsItsLocation_CommitsWhatPrecedesIt_AndIsTheLatestRestorePoint()
    {
        var probe = new CounterProbe();
        var external = new ExternalSystem();
        var runner = Runner(Graph(probe, external, limit: 100, holdAt: 40), new JobOptions("savepoints"));
        var run = runner.RunAsync(CancellationToken.None);
        await probe.Held.Task.WaitAsync(Deadline);

        var savepoint = await runner.TriggerSavepointAsync(CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(CheckpointKind.Savepoint, savepoint.Kind);
        Assert.Equal(savepoint.Id, (await _storage.LoadAsync(savepoint.Location, CancellationToken.None)).Id);
        Assert.Equal(savepoint.Id, (await _storage.LatestAsync("savepoints", CancellationToken.None)).Checkpoint!.Id);
        await WaitUntilAsync(() => external.Rows.Count == 40); // committed on completion, like a checkpoint
        AssertOffsetsOnce(external, 40);
        probe.Release.SetResult();
        await run.WaitAsync(Deadline);
        AssertOffsetsOnce(external, 100);
    }

    [Fact]
    public async Task StopWithSavepoint_CommitsEverythingProcessed_ThenFinishes_AndARestoreContinuesFromIt()
    {
        var probe = new CounterProbe();
        var external = new ExternalSystem();
        var runner = Runner(Graph(probe, external, limit: 1000, holdAt: 40), new JobOptions("stop"));
        var run = runner.RunAsync(CancellationToken.None);
        await probe.Held.Task.WaitAsync(Deadline);

        var savepoint = await runner.StopWithSavepointAsync(CancellationToken.None).WaitAsync(Deadline);
        var result = await run.WaitAsync(Deadline);

        Assert.Equal(savepoint, result.FinishedWith);
        Assert.Equal(JobState.Finished, runner.Status.State);
        AssertOffsetsOnce(external, 40); // nothing processed is left uncommitted

        // Restore at a different parallelism: the sum's key groups and the sink's pending transactions move.
        var resumed = new CounterProbe();
        resumed.Release.SetResult();
        var restore = Runner(
            Graph(resumed, external, limit: 70, holdAt: 0, sumParallelism: 3, sinkParallelism: 2),
            new JobOptions("stop") { RestoreFrom = savepoint.Location });
        var finished = await restore.RunAsync(CancellationToken.None).WaitAsync(Deadline);

        Assert.True(finished.FinishedWith.Id > savepoint.Id);
        AssertOffsetsOnce(external, 70);
    }

    [Fact]
    public async Task Restore_StateOfAnUnknownOperator_IsRefusedNamingIt_UnlessAllowed()
    {
        var probe = new CounterProbe();
        probe.Release.SetResult();
        // One database across the runs: the restore commits the first run's prepared transactions in it.
        var external = new ExternalSystem();
        await Runner(Graph(probe, external, limit: 10, holdAt: 0), new JobOptions("renamed"))
            .RunAsync(CancellationToken.None).WaitAsync(Deadline);

        var renamed = new JobBuilder();
        renamed.AddSource("counter", _ => new CounterSource(probe, 20, 0))
            .KeyBy(e => RunningSumOperator.KeyHash(e.Key))
            .Process("sum-v2", _ => new RunningSumOperator(_noFaults))
            .SinkTo("sink", _ => ModelParticipant.Sink(external, _noFaults));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Runner(renamed.Build(), new JobOptions("renamed")).RunAsync(CancellationToken.None).WaitAsync(Deadline));
        Assert.Contains("'sum'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("AllowNonRestoredState", refused.Message, StringComparison.Ordinal);

        var allowed = await Runner(renamed.Build(), new JobOptions("renamed") { AllowNonRestoredState = true })
            .RunAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.Equal(1, allowed.Attempts);
    }

    private JobRunner Runner(JobGraph graph, JobOptions options) => new(graph, options, _storage);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10);
        }
    }

    private JobGraph Graph(CounterProbe probe, ExternalSystem external, int limit, int holdAt, int sumParallelism = 2, int sinkParallelism = 1)
    {
        var builder = new JobBuilder();
        builder.AddSource("counter", _ => new CounterSource(probe, limit, holdAt))
            .KeyBy(e => RunningSumOperator.KeyHash(e.Key))
            .Process("sum", _ => new RunningSumOperator(_noFaults), sumParallelism)
            .SinkTo("sink", _ => ModelParticipant.Sink(external, _noFaults), sinkParallelism);
        return builder.Build();
    }

    private static void AssertOffsetsOnce(ExternalSystem external, int count)
    {
        var rows = external.Rows.OrderBy(r => r.Offset).ToList();
        Assert.Equal(Enumerable.Range(0, count), rows.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), rows.Select(r => r.Total));
    }
}
