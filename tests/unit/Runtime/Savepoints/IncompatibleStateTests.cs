using Etl.Pipeline;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Restart;
using Etl.Pipeline.Runtime;
using Etl.Pipeline.State;
using Etl.Tests.Unit.Runtime.ExactlyOnce;

namespace Etl.Tests.Unit.Runtime.Savepoints;

public sealed class IncompatibleStateTests
{
    [Fact]
    public async Task Attempt_FailingWithIncompatibleState_FailsTheJobWithoutRestarting()
    {
        var opened = 0;
        var probe = new CounterProbe();
        probe.Release.SetResult();
        var builder = new JobBuilder();
        builder.AddSource("counter", _ => new CounterSource(probe, 10, 0))
            .Process<Sum>("refusing", _ => new RefusingOperator(() => Interlocked.Increment(ref opened)))
            .SinkTo("sink", _ => ModelParticipant.Sink(new ExternalSystem(), new FaultPlan()));
        var restarts = RestartStrategies.Create(
            new RestartStrategyOptions { Kind = RestartStrategyKind.FixedDelay, FixedDelay = new() { Attempts = 50, Delay = TimeSpan.Zero } },
            TimeProvider.System);
        var runner = new JobRunner(builder.Build(), new JobOptions("incompatible"), new InMemoryCheckpointStorage(), restartStrategy: restarts);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => runner.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.NotNull(IncompatibleStateException.FindIn(error));
        Assert.Equal(1, opened);
        Assert.Equal(JobState.Failed, runner.Status.State);
    }

    private sealed class RefusingOperator(Action onOpen) : IOperator<InputEvent, Sum>
    {
        public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
        {
            onOpen();
            throw new IncompatibleStateException("Operator 'refusing': checkpoint 1 has other windows.");
        }

        public ValueTask ProcessAsync(StreamRecord<InputEvent> input, ICollector<Sum> output, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }
}
