namespace Etl.Pipeline.Graph;

/// <summary>
/// The output of a source or operator. Connecting it forwards subtask i to subtask i when the
/// parallelism is the same, and round-robins otherwise; <see cref="KeyBy"/> partitions by key group.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Domain name (a stream of records, as in Flink), not a System.IO.Stream.")]
public sealed class DataStream<T>
{
    private readonly JobBuilder _builder;
    private readonly JobVertex _producer;

    internal DataStream(JobBuilder builder, JobVertex producer)
    {
        _builder = builder;
        _producer = producer;
    }

    /// <param name="parallelism">Subtasks of the new operator; 0 = the same as this stream's producer.</param>
    public DataStream<TOut> Process<TOut>(string uid, Func<SubtaskInfo, IOperator<T, TOut>> factory, int parallelism = 0) =>
        ProcessWith(uid, factory, parallelism, keyHash: null);

    public void SinkTo(string uid, Func<SubtaskInfo, ISink<T>> factory, int parallelism = 0) =>
        SinkWith(uid, factory, parallelism, keyHash: null);

    /// <summary>Partitions by key: <paramref name="stableKeyHash"/> must be the same in every process (see State.StableHash).</summary>
    public KeyedStream<T> KeyBy(Func<T, int> stableKeyHash)
    {
        ArgumentNullException.ThrowIfNull(stableKeyHash);
        return new KeyedStream<T>(this, stableKeyHash);
    }

    public KeyedStream<T> KeyBy<TKey>(Func<T, TKey> keySelector, Func<TKey, int> stableHash)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(stableHash);
        return new KeyedStream<T>(this, value => stableHash(keySelector(value)));
    }

    internal DataStream<TOut> ProcessWith<TOut>(string uid, Func<SubtaskInfo, IOperator<T, TOut>> factory, int parallelism, Func<T, int>? keyHash)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var vertex = _builder.Add(new OperatorVertex<T, TOut>(uid, parallelism == 0 ? _producer.Parallelism : parallelism, factory));
        JobBuilder.Connect(_producer, vertex, keyHash);
        return new DataStream<TOut>(_builder, vertex);
    }

    internal void SinkWith(string uid, Func<SubtaskInfo, ISink<T>> factory, int parallelism, Func<T, int>? keyHash)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var vertex = _builder.Add(new SinkVertex<T>(uid, parallelism == 0 ? _producer.Parallelism : parallelism, factory));
        JobBuilder.Connect(_producer, vertex, keyHash);
    }
}
