using Etl.Pipeline.Aggregation;

namespace Etl.Tests.Unit.Windows;

/// <summary>The id of the largest order in the window (ties keep the first).</summary>
internal sealed class LargestOrderAggregate : IAggregate<Order, LargestOrder?, long>
{
    public IStateSerializer<LargestOrder?> AccumulatorSerializer { get; } =
        new JsonStateSerializer<LargestOrder?>(WindowTestJsonContext.Default.LargestOrder);

    public LargestOrder? CreateAccumulator() => null;

    public void Add(ref LargestOrder? accumulator, Order value)
    {
        if (accumulator is null || value.Amount > accumulator.Amount)
        {
            accumulator = new LargestOrder(value.Id, value.Amount);
        }
    }

    public void Merge(ref LargestOrder? target, LargestOrder? other)
    {
        if (other is not null && (target is null || other.Amount > target.Amount))
        {
            target = other;
        }
    }

    public long GetResult(LargestOrder? accumulator) => accumulator?.Id ?? 0;
}
