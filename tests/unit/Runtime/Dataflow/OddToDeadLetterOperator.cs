using Etl.Pipeline;

namespace Etl.Tests.Unit.Runtime.Dataflow;

/// <summary>Passes even numbers on and turns odd ones into dead letters; fails on <paramref name="failAt"/>.</summary>
public sealed class OddToDeadLetterOperator(DataflowProbe probe, long failAt = -1) : IOperator<long, long>
{
    public ValueTask ProcessAsync(StreamRecord<long> input, ICollector<long> output, CancellationToken cancellationToken)
    {
        if (input.Value == failAt)
        {
            throw new InvalidOperationException($"Injected failure at {failAt}.");
        }

        if (input.Value % 2 == 0)
        {
            output!.Collect(input.Value, input.Timestamp);
        }
        else
        {
            output!.CollectDeadLetter(new DeadLetter(null, null, null, DeadLetterReasons.Validation, $"{input.Value} is odd", input.Timestamp));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        probe.OnDisposed();
        return ValueTask.CompletedTask;
    }
}
