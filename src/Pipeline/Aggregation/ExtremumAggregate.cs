namespace Etl.Pipeline.Aggregation;

/// <summary>Min or max; the accumulator is null until the first record.</summary>
internal sealed class ExtremumAggregate<TIn>(Func<TIn, decimal> amount, bool max) : IAggregate<TIn, decimal?, decimal>
{
    private readonly Func<TIn, decimal> _amount = amount ?? throw new ArgumentNullException(nameof(amount));

    public IStateSerializer<decimal?> AccumulatorSerializer => StateSerializers.NullableDecimals;

    public decimal? CreateAccumulator() => null;

    public void Add(ref decimal? accumulator, TIn value) => Merge(ref accumulator, _amount(value));

    public void Merge(ref decimal? target, decimal? other)
    {
        if (other is not { } candidate)
        {
            return;
        }

        if (target is not { } current || (max ? candidate > current : candidate < current))
        {
            target = candidate;
        }
    }

    // A window exists only once a record arrived, so an empty accumulator here is a bug, not data.
    public decimal GetResult(decimal? accumulator) =>
        accumulator ?? throw new InvalidOperationException("A min/max window fired without any record.");
}
