namespace Etl.Pipeline.Aggregation;

internal sealed class SumAggregate<TIn>(Func<TIn, decimal> amount) : IAggregate<TIn, decimal, decimal>
{
    private readonly Func<TIn, decimal> _amount = amount ?? throw new ArgumentNullException(nameof(amount));

    public IStateSerializer<decimal> AccumulatorSerializer => StateSerializers.Decimals;

    public decimal CreateAccumulator() => 0m;

    public void Add(ref decimal accumulator, TIn value) => accumulator += _amount(value);

    public void Merge(ref decimal target, decimal other) => target += other;

    public decimal GetResult(decimal accumulator) => accumulator;
}
