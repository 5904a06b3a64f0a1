namespace Etl.Pipeline.Aggregation;

/// <summary>
/// An incremental aggregation (Flink's AggregateFunction): a window keeps one accumulator and folds
/// each record into it, so no record is buffered.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="bullet">
/// <item><see cref="Add"/> runs once per record and window on the hot path: update the accumulator in
/// place (a struct accumulator updated through the reference allocates nothing).</item>
/// <item><see cref="Merge"/> combines two accumulators of the same key; session windows call it when
/// a record bridges two sessions. It must be associative and commutative.</item>
/// <item><see cref="GetResult"/> must not change the accumulator: a window may fire several times
/// (late updates), each time from the same accumulator. Results are handed downstream after the call,
/// so a result must not be an object that a later <see cref="Add"/> mutates (return a copy).</item>
/// <item>The accumulator is checkpointed with <see cref="AccumulatorSerializer"/>; money stays
/// <see cref="decimal"/>.</item>
/// </list>
/// </remarks>
public interface IAggregate<in TIn, TAcc, out TResult>
{
    /// <summary>The accumulator of a window that has seen no record yet.</summary>
    TAcc CreateAccumulator();

    /// <summary>Folds <paramref name="value"/> into <paramref name="accumulator"/>.</summary>
    void Add(ref TAcc accumulator, TIn value);

    /// <summary>Folds <paramref name="other"/> into <paramref name="target"/>.</summary>
    void Merge(ref TAcc target, TAcc other);

    /// <summary>The result of a window from its accumulator.</summary>
    TResult GetResult(TAcc accumulator);

    /// <summary>How the accumulator is written into checkpoints.</summary>
    IStateSerializer<TAcc> AccumulatorSerializer { get; }
}
