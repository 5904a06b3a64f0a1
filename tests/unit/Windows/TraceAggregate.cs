using Etl.Pipeline.Aggregation;

namespace Etl.Tests.Unit.Windows;

/// <summary>A user aggregate whose accumulator is a record checkpointed as source-generated JSON.</summary>
internal sealed class TraceAggregate : IAggregate<Order, TraceAccumulator, TraceAccumulator>
{
    public IStateSerializer<TraceAccumulator> AccumulatorSerializer { get; } =
        new JsonStateSerializer<TraceAccumulator>(WindowTestJsonContext.Default.TraceAccumulator);

    public TraceAccumulator CreateAccumulator() => default;

    public void Add(ref TraceAccumulator accumulator, Order value) => accumulator = accumulator.With(value);

    public void Merge(ref TraceAccumulator target, TraceAccumulator other) => target = target.Plus(other);

    public TraceAccumulator GetResult(TraceAccumulator accumulator) => accumulator;
}
