namespace Etl.Pipeline.Runtime;

/// <summary>
/// What a source or operator subtask collects into: fans each record out to every edge of the main output, side
/// output records to the edges of their tag, and control elements to every edge of every output.
/// Collecting only buffers; the subtask loop calls <see cref="FlushAsync"/> after each call into
/// user code, which is where backpressure applies.
/// </summary>
internal sealed class OutputRouter<T> : ISourceOutput<T>
{
    private readonly EdgeOutput<T>[] _edges;
    private readonly SideOutput[] _sides;
    private readonly SideOutput<DeadLetter>? _deadLetters;
    private Watermark _lastWatermark = Watermark.Min;
    private bool _idle;

    // Records collected since the last TakeCollectedCount, for metrics.
    private long _collected;

    public OutputRouter(IReadOnlyList<EdgeOutput<T>> edges, IReadOnlyList<SideOutput> sides)
    {
        _edges = [.. edges];
        _sides = [.. sides];
        _deadLetters = _sides.FirstOrDefault(s => s.TagId == OutputTag.DeadLetters.Id) as SideOutput<DeadLetter>;
    }

    public void Collect<TSide>(OutputTag<TSide> tag, TSide value, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(tag);
        foreach (var side in _sides)
        {
            if (side.TagId == tag.Id)
            {
                var typed = side as SideOutput<TSide> ?? throw new InvalidOperationException(
                    $"Side output '{tag.Id}' carries records of another type than {typeof(TSide).Name}; use one tag id per record type.");
                typed.Add(value, timestamp);
                return;
            }
        }

        throw new InvalidOperationException(
            $"Side output '{tag.Id}' was emitted to but the job does not read it; read it with SideOutput(tag) so its records are not lost.");
    }

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
        if (_deadLetters is { } diverted)
        {
            diverted.Add(deadLetter, deadLetter.Timestamp);
            return;
        }

        // In-band, a dead letter must reach exactly one sink: with several outgoing edges, the first carries it.
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

        foreach (var side in _sides)
        {
            side.Broadcast(element);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var edge in _edges)
        {
            await edge.FlushAsync(cancellationToken);
        }

        foreach (var side in _sides)
        {
            await side.FlushAsync(cancellationToken);
        }
    }

    public long TakeCollectedCount()
    {
        var count = _collected;
        _collected = 0;
        return count;
    }
}
