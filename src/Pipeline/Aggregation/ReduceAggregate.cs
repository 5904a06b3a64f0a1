namespace Etl.Pipeline.Aggregation;

/// <summary>Flink's ReduceFunction as an incremental aggregate: the window's value is the records combined pairwise.</summary>
internal sealed class ReduceAggregate<T>(Func<T, T, T> reduce, IStateSerializer<T> serializer) : IAggregate<T, ReduceAccumulator<T>, T>
{
    private readonly Func<T, T, T> _reduce = reduce ?? throw new ArgumentNullException(nameof(reduce));

    public IStateSerializer<ReduceAccumulator<T>> AccumulatorSerializer { get; } =
        new Serializer(serializer ?? throw new ArgumentNullException(nameof(serializer)));

    public ReduceAccumulator<T> CreateAccumulator() => default;

    public void Add(ref ReduceAccumulator<T> accumulator, T value) =>
        accumulator = new ReduceAccumulator<T>(true, accumulator.HasValue ? _reduce(accumulator.Value, value) : value);

    public void Merge(ref ReduceAccumulator<T> target, ReduceAccumulator<T> other)
    {
        if (other.HasValue)
        {
            Add(ref target, other.Value);
        }
    }

    // A window fires only after a record was added, so the accumulator holds a value here.
    public T GetResult(ReduceAccumulator<T> accumulator) => accumulator.HasValue
        ? accumulator.Value
        : throw new InvalidOperationException("A reduce window fired without a record; this is a runtime bug.");

    /// <summary>One presence byte, then the value through the user's serializer. Version 1.</summary>
    private sealed class Serializer(IStateSerializer<T> value) : IStateSerializer<ReduceAccumulator<T>>
    {
        public void Write(BinaryWriter writer, ReduceAccumulator<T> accumulator)
        {
            writer.Write(accumulator.HasValue);
            if (accumulator.HasValue)
            {
                value.Write(writer, accumulator.Value);
            }
        }

        public ReduceAccumulator<T> Read(BinaryReader reader) =>
            reader.ReadBoolean() ? new ReduceAccumulator<T>(true, value.Read(reader)) : default;
    }
}
