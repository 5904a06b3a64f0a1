namespace Etl.Pipeline.Graph;

/// <summary>A stream partitioned by key group: every record of a key reaches the subtask that owns the key's state.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Domain name (a stream of records, as in Flink), not a System.IO.Stream.")]
public sealed class KeyedStream<T>
{
    private readonly DataStream<T> _stream;
    private readonly Func<T, int> _keyHash;

    internal KeyedStream(DataStream<T> stream, Func<T, int> keyHash)
    {
        _stream = stream;
        _keyHash = keyHash;
    }

    /// <summary>Runs a keyed operator of your own; its subtask sees every record of the keys in its key groups.</summary>
    public DataStream<TOut> Process<TOut>(string uid, Func<SubtaskInfo, IOperator<T, TOut>> factory, int parallelism = 0) =>
        _stream.ProcessWith(uid, factory, parallelism, _keyHash);

    /// <summary>Ends the stream in a sink whose subtasks each receive the records of their key groups.</summary>
    public void SinkTo(string uid, Func<SubtaskInfo, ISink<T>> factory, int parallelism = 0) =>
        _stream.SinkWith(uid, factory, parallelism, _keyHash);
}
