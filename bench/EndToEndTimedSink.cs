using System.Diagnostics;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Bench;

/// <summary>
/// Wraps the job's sink subtask: the time its writes take (buffering, and the batches sent to PostgreSQL when the
/// buffer fills) and its snapshots take (the rest of the epoch sent, PREPARE TRANSACTION). A sink busy for most of a
/// run is what holds the job back.
/// </summary>
internal sealed class EndToEndTimedSink(ISink<WindowResult<string, OrderTotal>> inner) : ISink<WindowResult<string, OrderTotal>>
{
    private long _writeTicks;
    private long _snapshotTicks;

    public TimeSpan InWrites => Stopwatch.GetElapsedTime(0, _writeTicks);

    public TimeSpan InSnapshots => Stopwatch.GetElapsedTime(0, _snapshotTicks);

    public long Rows { get; private set; }

    public async ValueTask WriteAsync(StreamRecord<WindowResult<string, OrderTotal>> input, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await inner.WriteAsync(input, cancellationToken);
        _writeTicks += Stopwatch.GetTimestamp() - started;
        Rows++;
    }

    public ValueTask WriteDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken) => inner.WriteDeadLetterAsync(deadLetter, cancellationToken);

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken) => inner.OpenAsync(context, cancellationToken);

    public ValueTask OnWatermarkAsync(Watermark watermark, CancellationToken cancellationToken) => inner.OnWatermarkAsync(watermark, cancellationToken);

    public async ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = await inner.SnapshotStateAsync(checkpointId, cancellationToken);
        _snapshotTicks += Stopwatch.GetTimestamp() - started;
        return snapshot;
    }

    public ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.NotifyCheckpointCompleteAsync(checkpointId, cancellationToken);

    public ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.NotifyCheckpointAbortedAsync(checkpointId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>The sink subtasks of one run (<c>--parallelism</c>): their rows and times added up.</summary>
internal sealed class EndToEndTimedSinks
{
    private readonly List<EndToEndTimedSink> _subtasks = [];

    public long Rows => Each(s => s.Rows).Sum();

    /// <summary>Summed over the subtasks (with several, more than the wall time they ran in).</summary>
    public TimeSpan InWrites => TimeSpan.FromTicks(Each(s => s.InWrites.Ticks).Sum());

    public TimeSpan InSnapshots => TimeSpan.FromTicks(Each(s => s.InSnapshots.Ticks).Sum());

    public ISink<WindowResult<string, OrderTotal>> Wrap(ISink<WindowResult<string, OrderTotal>> inner)
    {
        var timed = new EndToEndTimedSink(inner);
        lock (_subtasks)
        {
            _subtasks.Add(timed);
        }

        return timed;
    }

    private List<long> Each(Func<EndToEndTimedSink, long> figure)
    {
        lock (_subtasks)
        {
            return [.. _subtasks.Select(figure)];
        }
    }
}
