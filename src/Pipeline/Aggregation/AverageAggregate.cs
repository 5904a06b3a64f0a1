namespace Etl.Pipeline.Aggregation;

internal sealed class AverageAggregate<TIn>(Func<TIn, decimal> amount) : IAggregate<TIn, AverageAccumulator, decimal>
{
    private readonly Func<TIn, decimal> _amount = amount ?? throw new ArgumentNullException(nameof(amount));

    public IStateSerializer<AverageAccumulator> AccumulatorSerializer => StateSerializers.Averages;

    public AverageAccumulator CreateAccumulator() => default;

    public void Add(ref AverageAccumulator accumulator, TIn value) =>
        accumulator = new AverageAccumulator(accumulator.Sum + _amount(value), accumulator.Count + 1);

    public void Merge(ref AverageAccumulator target, AverageAccumulator other) =>
        target = new AverageAccumulator(target.Sum + other.Sum, target.Count + other.Count);

    public decimal GetResult(AverageAccumulator accumulator) =>
        accumulator.Count == 0
            ? throw new InvalidOperationException("An average window fired without any record.")
            : accumulator.Sum / accumulator.Count;
}
