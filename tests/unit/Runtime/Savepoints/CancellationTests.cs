using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;
using Etl.Tests.Unit.Runtime.ExactlyOnce;

namespace Etl.Tests.Unit.Runtime.Savepoints;

public sealed class CancellationTests
{
    [Fact]
    public async Task CancellingARunningJob_EndsRunAsyncAsCancelled_WithoutARestart()
    {
        var probe = new CounterProbe();
        var noFaults = new FaultPlan();
        var builder = new JobBuilder();
        builder.AddSource("counter", _ => new CounterSource(probe, limit: 1000, holdAt: 10))
            .KeyBy(e => RunningSumOperator.KeyHash(e.Key))
            .Process("sum", _ => new RunningSumOperator(noFaults))
            .SinkTo("sink", _ => ModelParticipant.Sink(new ExternalSystem(), noFaults));
        var runner = new JobRunner(builder.Build(), new JobOptions("cancel"), new InMemoryCheckpointStorage());
        using var cancel = new CancellationTokenSource();
        var run = runner.RunAsync(cancel.Token);
        await probe.Held.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(JobState.Cancelled, runner.Status.State);
        Assert.Equal(1, runner.Status.Attempt);
    }
}
