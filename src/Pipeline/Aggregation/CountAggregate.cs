namespace Etl.Pipeline.Aggregation;

internal sealed class CountAggregate<TIn> : IAggregate<TIn, long, long>
{
    public IStateSerializer<long> AccumulatorSerializer => StateSerializers.Longs;

    public long CreateAccumulator() => 0;

    public void Add(ref long accumulator, TIn value) => accumulator++;

    public void Merge(ref long target, long other) => target += other;

    public long GetResult(long accumulator) => accumulator;
}
