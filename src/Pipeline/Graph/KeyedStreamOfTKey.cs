using Etl.Pipeline.Windows;

namespace Etl.Pipeline.Graph;

/// <summary>
/// A stream partitioned by a typed key (<see cref="DataStream{T}.KeyBy{TKey}(Func{T, TKey}, KeyFormat{TKey})"/>): every
/// record of a key reaches the subtask that owns the key's state, and windows can group by it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Domain name (a stream of records, as in Flink), not a System.IO.Stream.")]
public sealed class KeyedStream<T, TKey>
    where TKey : notnull
{
    private readonly DataStream<T> _stream;

    internal KeyedStream(DataStream<T> stream, Func<T, TKey> keySelector, KeyFormat<TKey> keyFormat)
    {
        _stream = stream;
        KeySelector = keySelector;
        KeyFormat = keyFormat;
    }

    internal Func<T, TKey> KeySelector { get; }

    internal KeyFormat<TKey> KeyFormat { get; }

    internal Func<T, int> KeyHash => value => KeyFormat.StableHash(KeySelector(value));

    /// <summary>Groups the records of each key into event-time windows (see <see cref="WindowAssigner"/>).</summary>
    public WindowedStream<T, TKey> Window(WindowAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        assigner.Validate();
        return new WindowedStream<T, TKey>(this, assigner);
    }

    /// <summary>Runs a keyed operator of your own; its subtask sees every record of the keys in its key groups.</summary>
    public DataStream<TOut> Process<TOut>(string uid, Func<SubtaskInfo, IOperator<T, TOut>> factory, int parallelism = 0) =>
        _stream.ProcessWith(uid, factory, parallelism, KeyHash);

    /// <summary>Ends the stream in a sink whose subtasks each receive the records of their key groups.</summary>
    public void SinkTo(string uid, Func<SubtaskInfo, ISink<T>> factory, int parallelism = 0) =>
        _stream.SinkWith(uid, factory, parallelism, KeyHash);
}
