using System.Diagnostics;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Runtime;

/// <summary>Drives an <see cref="ISink{TIn}"/>: records and dead letters in stream order, nothing downstream.</summary>
internal sealed class SinkSubtask<TIn>(SubtaskEnvironment environment, InputGate<TIn> gate, ISink<TIn> sink)
    : InputSubtask<TIn>(environment, gate)
{
    protected override ValueTask OpenAsync(CancellationToken cancellationToken) => sink.OpenAsync(Environment.Context, cancellationToken);

    protected override async ValueTask ProcessBatchAsync(StreamRecord<TIn>[] records, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await sink.WriteAsync(records[i], cancellationToken);
        }
    }

    protected override ValueTask OnWatermarkAsync(Watermark watermark, CancellationToken cancellationToken) =>
        sink.OnWatermarkAsync(watermark, cancellationToken);

    protected override ValueTask OnIdleAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    protected override ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken) =>
        sink.WriteDeadLetterAsync(deadLetter, cancellationToken);

    // The sink's snapshot is its flush and pre-commit, its completion notification the commit: both are timed for
    // the checkpoint history (the operator's view), not for the protocol.
    protected override async ValueTask<OperatorSnapshot> SnapshotAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = await sink.SnapshotStateAsync(checkpointId, cancellationToken);
        Environment.Coordinator.History?.SinkPrepared(checkpointId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return snapshot;
    }

    protected override ValueTask ForwardBarrierAsync(CheckpointBarrier barrier, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    protected override ValueTask OnEndOfInputAsync(CancellationToken cancellationToken) => sink.EndOfInputAsync(cancellationToken);

    protected override async ValueTask NotifyCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await sink.NotifyCheckpointCompleteAsync(checkpointId, cancellationToken);
        Environment.Coordinator.History?.SinkCommitted(checkpointId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    protected override ValueTask NotifyAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        sink.NotifyCheckpointAbortedAsync(checkpointId, cancellationToken);

    public override ValueTask DisposeAsync() => sink.DisposeAsync();
}
