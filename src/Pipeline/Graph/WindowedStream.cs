using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Operators;
using Etl.Pipeline.Windows;

namespace Etl.Pipeline.Graph;

/// <summary>
/// A keyed stream grouped into event-time windows, waiting for its aggregation
/// (<see cref="Aggregate{TAcc, TResult}"/> or <see cref="Reduce"/>). A window fires when the watermark passes its end, and
/// again for each record within the allowed lateness; later records go to the late output (dead letters with reason
/// <see cref="DeadLetterReasons.Late"/>, or <see cref="SideOutputLateData"/>), never silently away.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Domain name (Flink's WindowedStream).")]
public sealed class WindowedStream<T, TKey>
    where TKey : notnull
{
    private readonly KeyedStream<T, TKey> _keyed;
    private readonly WindowAssigner _assigner;
    private TimeSpan _allowedLateness;
    private OutputTag<T>? _lateData;
    private Func<T, byte[]>? _lateRecordValue;

    internal WindowedStream(KeyedStream<T, TKey> keyed, WindowAssigner assigner)
    {
        _keyed = keyed;
        _assigner = assigner;
    }

    /// <summary>How long after the watermark passed a window's end it still takes (and re-fires on) records. Default zero.</summary>
    public WindowedStream<T, TKey> AllowedLateness(TimeSpan lateness)
    {
        _allowedLateness = lateness;
        return this;
    }

    /// <summary>
    /// Sends records later than the allowed lateness to the side output <paramref name="tag"/> as they are, instead of
    /// turning them into dead letters. The job must read it: <c>result.SideOutput(tag)</c>.
    /// </summary>
    public WindowedStream<T, TKey> SideOutputLateData(OutputTag<T> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        _lateData = tag;
        return this;
    }

    /// <summary>The bytes of a late record's dead letter (default: UTF-8 of a string, the bytes of a byte array, else JSON).</summary>
    public WindowedStream<T, TKey> LateRecordValue(Func<T, byte[]> serialize)
    {
        ArgumentNullException.ThrowIfNull(serialize);
        _lateRecordValue = serialize;
        return this;
    }

    /// <summary>Folds each window of each key incrementally with <paramref name="aggregate"/> (see <see cref="Aggregates"/>).</summary>
    /// <returns>One <see cref="WindowResult{TKey, TResult}"/> per firing; upsert it by (key, window start).</returns>
    public DataStream<WindowResult<TKey, TResult>> Aggregate<TAcc, TResult>(string uid, IAggregate<T, TAcc, TResult> aggregate, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        var options = new WindowOptions<T>(_lateRecordValue ?? RecordBytes.Of<T>())
        {
            AllowedLateness = _allowedLateness,
            LateDataTag = _lateData,
        };
        options.Validate();
        var assigner = _assigner;
        var keySelector = _keyed.KeySelector;
        var keyFormat = _keyed.KeyFormat;
        var stream = _keyed.Process<WindowResult<TKey, TResult>>(
            uid, _ => WindowedAggregate.Create(assigner, keySelector, keyFormat, aggregate, options), parallelism);
        if (_lateData is { } tag)
        {
            var vertex = stream.Producer(nameof(SideOutputLateData));
            vertex.DeclareSideOutput(tag.Id, typeof(T));
            vertex.RequiredSideOutputs.Add(tag.Id);
        }

        return stream;
    }

    /// <summary>Combines the records of each window of each key with <paramref name="reduce"/> (associative and commutative).</summary>
    /// <param name="serializer">Writes the running value into checkpoints.</param>
    public DataStream<WindowResult<TKey, T>> Reduce(string uid, Func<T, T, T> reduce, IStateSerializer<T> serializer, int parallelism = 0) =>
        Aggregate(uid, Aggregates.Reduce(reduce, serializer), parallelism);
}
