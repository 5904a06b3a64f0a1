using System.Diagnostics;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Bench;

/// <summary>
/// Wraps one of the job's Kafka source subtasks: counts what it emits into the job's <see cref="EndToEndTimedSources"/>
/// (time and CPU at the first record and when the target is out) and times <c>SnapshotStateAsync</c>, the barrier
/// injection that pauses the source.
/// </summary>
internal sealed class EndToEndTimedSource(ISource<Order> inner, EndToEndTimedSources all) : ISource<Order>, ISourceOutput<Order>
{
    private ISourceOutput<Order>? _output;
    private long _stallTicks;

    public int Snapshots { get; private set; }

    public TimeSpan Stall => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _stallTicks));

    public TimeSpan LongestSnapshot { get; private set; }

    public void ResetStall()
    {
        Interlocked.Exchange(ref _stallTicks, 0);
        Snapshots = 0;
        LongestSnapshot = TimeSpan.Zero;
    }

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken) => inner.OpenAsync(context, cancellationToken);

    /// <summary>Time spent inside the wrapped source's polls (reading Kafka, parsing, handing records over).</summary>
    public TimeSpan InPoll => Stopwatch.GetElapsedTime(0, _pollTicks);

    /// <summary>Polls that returned no record (the client's prefetch queue was empty: waiting for Kafka).</summary>
    public long EmptyPolls { get; private set; }

    public long Polls { get; private set; }

    private long _pollTicks;

    private long _records;

    public async ValueTask<SourcePollResult> PollAsync(ISourceOutput<Order> output, CancellationToken cancellationToken)
    {
        _output = output;
        var before = _records;
        var started = Stopwatch.GetTimestamp();
        var result = await inner.PollAsync(this, cancellationToken);
        _pollTicks += Stopwatch.GetTimestamp() - started;
        Polls++;
        EmptyPolls += _records == before ? 1 : 0;
        return result;
    }

    public async ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = await inner.SnapshotStateAsync(checkpointId, cancellationToken);
        var took = Stopwatch.GetTimestamp() - started;
        Interlocked.Add(ref _stallTicks, took);
        Snapshots++;
        var elapsed = Stopwatch.GetElapsedTime(0, took);
        LongestSnapshot = elapsed > LongestSnapshot ? elapsed : LongestSnapshot;
        return snapshot;
    }

    public ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.NotifyCheckpointCompleteAsync(checkpointId, cancellationToken);

    public ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.NotifyCheckpointAbortedAsync(checkpointId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    public void Collect(Order value, long timestamp)
    {
        Count();
        _output!.Collect(value, timestamp);
    }

    public void CollectDeadLetter(DeadLetter deadLetter)
    {
        Count();
        _output!.CollectDeadLetter(deadLetter);
    }

    public void EmitWatermark(Watermark watermark) => _output!.EmitWatermark(watermark);

    public void MarkIdle() => _output!.MarkIdle();

    private void Count()
    {
        _records++;
        all.Count();
    }
}
