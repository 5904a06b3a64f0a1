namespace Etl.Pipeline.Runtime;

/// <summary>
/// What a source or operator subtask collects into: fans each record out to every outgoing edge.
/// Collecting only buffers; the subtask loop calls <see cref="FlushAsync"/> after each call into
/// user code, which is where backpressure applies.
/// </summary>
internal sealed class OutputRouter<T> : ISourceOutput<T>
{
    private readonly EdgeOutput<T>[] _edges;
    private Watermark _lastWatermark = Watermark.Min;
    private bool _idle;

    // Records collected since the last TakeCollectedCount, for metrics.
    private long _collected;

    public OutputRouter(IReadOnlyList<EdgeOutput<T>> edges) => _edges = [.. edges];

    public void Collect(T value, long timestamp)
    {
        _collected++;
        _idle = false;
        var edges = _edges;
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i].Add(value, timestamp);
        }
    }

    public void CollectDeadLetter(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        // A dead letter must reach exactly one sink: with several outgoing edges, the first carries it.
        if (_edges.Length == 0)
        {
            throw new InvalidOperationException("A dead letter was collected by a stage with no downstream sink; dead letters are never dropped.");
        }

        _edges[0].AddDeadLetter(deadLetter);
    }

    public void EmitWatermark(Watermark watermark)
    {
        if (watermark <= _lastWatermark)
        {
            return;
        }

        _lastWatermark = watermark;
        _idle = false;
        Broadcast(StreamElement<T>.OfWatermark(watermark));
    }

    public void MarkIdle()
    {
        if (_idle)
        {
            return;
        }

        _idle = true;
        Broadcast(StreamElement<T>.Idle);
    }

    /// <summary>Forwards a watermark the runtime computed (operators do not emit watermarks themselves).</summary>
    public void ForwardWatermark(Watermark watermark) => EmitWatermark(watermark);

    public void Broadcast(StreamElement<T> element)
    {
        foreach (var edge in _edges)
        {
            edge.AddToAll(element);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var edge in _edges)
        {
            await edge.FlushAsync(cancellationToken);
        }
    }

    public long TakeCollectedCount()
    {
        var count = _collected;
        _collected = 0;
        return count;
    }
}
