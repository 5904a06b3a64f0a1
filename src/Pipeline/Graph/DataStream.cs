using Etl.Pipeline.Operators;
using Etl.Pipeline.Windows;

namespace Etl.Pipeline.Graph;

/// <summary>
/// A stream of records in the job graph: the output of a source or operator, one of its side outputs, or a union.
/// Every step takes a stable uid, under which its state is stored in checkpoints. Connecting a stream forwards
/// subtask i to subtask i when the parallelism is the same, and round-robins otherwise; <see cref="KeyBy(Func{T, string})"/>
/// partitions by key group.
/// </summary>
/// <remarks>
/// The graph is a static description: nothing runs while it is built. Factories passed here are called by the
/// runtime once per subtask and attempt; the functions given to <see cref="Map{TOut}"/>, <see cref="Filter"/> and
/// <see cref="FlatMap{TOut}"/> are shared by every subtask and must be stateless (state lives in operators that
/// snapshot it, such as windows).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Domain name (a stream of records, as in Flink), not a System.IO.Stream.")]
public sealed class DataStream<T>
{
    private readonly JobBuilder _builder;
    private readonly IReadOnlyList<StreamOrigin> _origins;

    internal DataStream(JobBuilder builder, JobVertex producer, string? sideOutput = null)
        : this(builder, [new StreamOrigin(producer, sideOutput)])
    {
    }

    private DataStream(JobBuilder builder, IReadOnlyList<StreamOrigin> origins)
    {
        _builder = builder;
        _origins = origins;
    }

    /// <summary>Runs an operator of your own on every record (one instance per subtask, from <paramref name="factory"/>).</summary>
    /// <param name="parallelism">Subtasks of the new operator; 0 = the same as this stream's producer.</param>
    public DataStream<TOut> Process<TOut>(string uid, Func<SubtaskInfo, IOperator<T, TOut>> factory, int parallelism = 0) =>
        ProcessWith(uid, factory, parallelism, keyHash: null);

    /// <summary>Each record becomes <paramref name="map"/>(record), with the same event time.</summary>
    public DataStream<TOut> Map<TOut>(string uid, Func<T, TOut> map, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Process<TOut>(uid, _ => new MapOperator<T, TOut>(map), parallelism);
    }

    /// <summary>Keeps the records for which <paramref name="predicate"/> is true.</summary>
    public DataStream<T> Filter(string uid, Func<T, bool> predicate, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Process<T>(uid, _ => new FilterOperator<T>(predicate), parallelism);
    }

    /// <summary>Each record becomes the zero or more records of <paramref name="flatMap"/>(record), with its event time.</summary>
    public DataStream<TOut> FlatMap<TOut>(string uid, Func<T, IEnumerable<TOut>> flatMap, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(flatMap);
        return Process<TOut>(uid, _ => new FlatMapOperator<T, TOut>(flatMap), parallelism);
    }

    /// <summary>
    /// Each record becomes <paramref name="parse"/>(record); a record for which it throws becomes a dead letter with reason
    /// <see cref="DeadLetterReasons.Validation"/>, the exception message as error, and <paramref name="rawValue"/>(record)
    /// as its bytes (default: UTF-8 of a string, the bytes of a byte array, else JSON). The job goes on with the next record.
    /// </summary>
    public DataStream<TOut> Parse<TOut>(string uid, Func<T, TOut> parse, Func<T, byte[]>? rawValue = null, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var raw = rawValue ?? RecordBytes.Of<T>();
        return Process<TOut>(uid, _ => new ParseOperator<T, TOut>(parse, raw), parallelism);
    }

    /// <summary>
    /// One stream of the records of this stream and of <paramref name="others"/> (of the same type). The operator that reads
    /// it aligns checkpoint barriers over all of them and its watermark is the minimum over them.
    /// </summary>
    public DataStream<T> Union(params DataStream<T>[] others)
    {
        ArgumentNullException.ThrowIfNull(others);
        var origins = new List<StreamOrigin>(_origins);
        foreach (var other in others)
        {
            ArgumentNullException.ThrowIfNull(other, nameof(others));
            if (other._builder != _builder)
            {
                throw new ArgumentException("Union needs streams of the same JobBuilder.", nameof(others));
            }

            origins.AddRange(other._origins.Where(o => !origins.Contains(o)));
        }

        return new DataStream<T>(_builder, origins);
    }

    /// <summary>
    /// The records that the operator producing this stream emits under <paramref name="tag"/>. Reading a side output makes
    /// it part of the job: the operator's records there reach the operators and sinks connected to the returned stream.
    /// </summary>
    public DataStream<TSide> SideOutput<TSide>(OutputTag<TSide> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var producer = Producer("SideOutput");
        producer.DeclareSideOutput(tag.Id, typeof(TSide));
        return new DataStream<TSide>(_builder, producer, tag.Id);
    }

    /// <summary>
    /// The dead letters of the operator producing this stream (its own and those reaching it from upstream), diverted from
    /// the main output into a stream of their own (<see cref="OutputTag.DeadLetters"/>). Without it they follow the records
    /// to the sink, which writes them in the same transaction as the results.
    /// </summary>
    public DataStream<DeadLetter> DeadLetters() => SideOutput(OutputTag.DeadLetters);

    /// <summary>Partitions by a string key (Murmur3 of its UTF-8 bytes), so that windows and keyed state can follow it.</summary>
    public KeyedStream<T, string> KeyBy(Func<T, string> keySelector) => KeyBy(keySelector, KeyFormats.Strings);

    /// <summary>Partitions by key: every record of a key reaches the subtask that owns the key's state.</summary>
    /// <param name="keyFormat">The key's stable hash and checkpoint format (<see cref="KeyFormats"/> has common ones).</param>
    public KeyedStream<T, TKey> KeyBy<TKey>(Func<T, TKey> keySelector, KeyFormat<TKey> keyFormat)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(keyFormat);
        return new KeyedStream<T, TKey>(this, keySelector, keyFormat);
    }

    /// <summary>Partitions by key: <paramref name="stableKeyHash"/> must be the same in every process (see State.StableHash).</summary>
    public KeyedStream<T> KeyBy(Func<T, int> stableKeyHash)
    {
        ArgumentNullException.ThrowIfNull(stableKeyHash);
        return new KeyedStream<T>(this, stableKeyHash);
    }

    /// <summary>Partitions by <paramref name="keySelector"/>, hashed with <paramref name="stableHash"/> (the same in every process).</summary>
    public KeyedStream<T> KeyBy<TKey>(Func<T, TKey> keySelector, Func<TKey, int> stableHash)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(stableHash);
        return new KeyedStream<T>(this, value => stableHash(keySelector(value)));
    }

    /// <summary>Ends the stream in a sink (one instance per subtask, from <paramref name="factory"/>), for example a connector builder's <c>Create</c>.</summary>
    /// <param name="parallelism">Subtasks of the sink; 0 = the same as this stream's producer.</param>
    public void SinkTo(string uid, Func<SubtaskInfo, ISink<T>> factory, int parallelism = 0) =>
        SinkWith(uid, factory, parallelism, keyHash: null);

    internal DataStream<TOut> ProcessWith<TOut>(string uid, Func<SubtaskInfo, IOperator<T, TOut>> factory, int parallelism, Func<T, int>? keyHash)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var vertex = _builder.Add(new OperatorVertex<T, TOut>(uid, ParallelismOr(parallelism), factory));
        Connect(vertex, keyHash);
        return new DataStream<TOut>(_builder, vertex);
    }

    internal void SinkWith(string uid, Func<SubtaskInfo, ISink<T>> factory, int parallelism, Func<T, int>? keyHash)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var vertex = _builder.Add(new SinkVertex<T>(uid, ParallelismOr(parallelism), factory));
        Connect(vertex, keyHash);
    }

    /// <summary>The one operator whose main output this stream is.</summary>
    internal JobVertex Producer(string use) =>
        _origins is [{ SideOutput: null } origin]
            ? origin.Vertex
            : throw new InvalidOperationException($"{use} needs the main output of one operator, not a union or a side output.");

    private int ParallelismOr(int parallelism) => parallelism == 0 ? _origins.Max(o => o.Vertex.Parallelism) : parallelism;

    private void Connect(JobVertex to, Func<T, int>? keyHash)
    {
        foreach (var (from, sideOutput) in _origins)
        {
            var partitioning = keyHash is not null ? Partitioning.Keyed
                : from.Parallelism == to.Parallelism ? Partitioning.Forward
                : Partitioning.Rebalance;
            var edge = new JobEdge<T>(from, to, partitioning, keyHash, sideOutput);
            (sideOutput is null ? from.Outputs : from.SideOutputs).Add(edge);
            to.Inputs.Add(edge);
        }
    }
}
