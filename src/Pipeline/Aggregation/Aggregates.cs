namespace Etl.Pipeline.Aggregation;

/// <summary>The built-in incremental aggregates. Amounts are <see cref="decimal"/>: no floating point in money.</summary>
public static class Aggregates
{
    /// <summary>The sum of <paramref name="amount"/> over the window.</summary>
    public static IAggregate<TIn, decimal, decimal> Sum<TIn>(Func<TIn, decimal> amount) => new SumAggregate<TIn>(amount);

    /// <summary>The number of records in the window.</summary>
    public static IAggregate<TIn, long, long> Count<TIn>() => new CountAggregate<TIn>();

    /// <summary>The smallest <paramref name="amount"/> in the window.</summary>
    public static IAggregate<TIn, decimal?, decimal> Min<TIn>(Func<TIn, decimal> amount) => new ExtremumAggregate<TIn>(amount, max: false);

    /// <summary>The largest <paramref name="amount"/> in the window.</summary>
    public static IAggregate<TIn, decimal?, decimal> Max<TIn>(Func<TIn, decimal> amount) => new ExtremumAggregate<TIn>(amount, max: true);

    /// <summary>The mean of <paramref name="amount"/>: exact decimal sum divided by the count (decimal division).</summary>
    public static IAggregate<TIn, AverageAccumulator, decimal> Average<TIn>(Func<TIn, decimal> amount) => new AverageAggregate<TIn>(amount);

    /// <summary>
    /// The records of the window combined pairwise with <paramref name="reduce"/> (Flink's ReduceFunction); it must be
    /// associative and commutative, because session windows merge running values in any order.
    /// </summary>
    /// <param name="serializer">Writes the running value into checkpoints (<see cref="StateSerializers"/>, <see cref="JsonStateSerializer{T}"/>).</param>
    public static IAggregate<T, ReduceAccumulator<T>, T> Reduce<T>(Func<T, T, T> reduce, IStateSerializer<T> serializer) =>
        new ReduceAggregate<T>(reduce, serializer);
}
