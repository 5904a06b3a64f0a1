using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Runtime.Dataflow;

public sealed class DataflowTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task BoundedJob_DeliversEveryRecordAndDeadLetterInBand_AndEndOfInputAdvancesTheWatermarkToMax()
    {
        var probe = new DataflowProbe();
        var runner = Runner(probe, sources: 3, operators: 2, sinks: 2, limit: 1000);

        var result = await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i * 2L), probe.Written.Order());
        Assert.Equal(500, probe.DeadLetters.Count);
        Assert.All(probe.DeadLetters, d => Assert.Equal(DeadLetterReasons.Validation, d.Reason));
        Assert.Equal(Watermark.Max, probe.Watermarks.Max());
        Assert.Equal(CheckpointKind.Checkpoint, result.FinishedWith.Kind);
        Assert.Equal(JobState.Finished, runner.Status.State);
        Assert.Equal(7, probe.Disposed);
    }

    [Fact]
    public async Task SubtaskFailure_WithoutRestart_FailsTheJobNamingTheSubtask_AndDisposesEverySubtask()
    {
        var probe = new DataflowProbe();
        var runner = Runner(probe, sources: 2, operators: 2, sinks: 1, limit: 1000, failAt: 300);

        var error = await Assert.ThrowsAsync<SubtaskFailedException>(() => runner.RunAsync(CancellationToken.None).WaitAsync(Deadline));

        Assert.Equal("odd-to-dead-letter", error.Subtask.OperatorId);
        Assert.Equal(JobState.Failed, runner.Status.State);
        Assert.Equal(5, probe.Disposed);
    }

    [Fact]
    public async Task PeriodicCheckpoints_AreTakenOnTheInterval_WhileTheJobRuns()
    {
        var probe = new DataflowProbe();
        var runner = Runner(probe, sources: 1, operators: 1, sinks: 1, limit: 10, endless: true,
            checkpointing: new CheckpointingOptions { Interval = TimeSpan.FromMilliseconds(5) });

        var result = await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline);

        Assert.True(result.FinishedWith.Id.Value >= 4, $"finished with checkpoint {result.FinishedWith.Id}");
    }

    private static JobRunner Runner(
        DataflowProbe probe, int sources, int operators, int sinks, int limit, long failAt = -1, bool endless = false,
        CheckpointingOptions? checkpointing = null)
    {
        var builder = new JobBuilder();
        builder.AddSource("numbers", _ => new NumberSource(probe, limit, endless), sources)
            .KeyBy(n => StableHash.Of(n))
            .Process("odd-to-dead-letter", _ => new OddToDeadLetterOperator(probe, failAt), operators)
            .SinkTo("recording", _ => new RecordingSink(probe), sinks);
        var options = new JobOptions("dataflow") { BatchSize = 16, Checkpointing = checkpointing ?? new() };
        return new JobRunner(builder.Build(), options, new InMemoryCheckpointStorage());
    }
}
