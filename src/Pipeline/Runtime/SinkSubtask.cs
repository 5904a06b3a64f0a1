using System.Diagnostics;
using Etl.Pipeline.Faults;
using Etl.Pipeline.Metrics;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// Drives an <see cref="ISink{TIn}"/>: records and dead letters in stream order, nothing downstream. It times the
/// sink's prepare (snapshot at a barrier) and commit (checkpoint complete), counts dead letters by reason, reports
/// the opened (restored) sink to the attempt's readiness, and passes the <see cref="FaultPoint.AfterPrepare"/> and
/// <see cref="FaultPoint.AfterCommitBeforeOffsets"/> fault points.
/// </summary>
internal sealed class SinkSubtask<TIn>(SubtaskEnvironment environment, InputGate<TIn> gate, ISink<TIn> sink)
    : InputSubtask<TIn>(environment, gate)
{
    // An epoch with writes is prepared at its barrier; one without prepares nothing. The fault points fire only
    // where a transaction really was prepared or committed, so a test killed there finds the dangerous state.
    private bool _wroteInEpoch;
    private int _preparedUncommitted;

    protected override async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        await sink.OpenAsync(Environment.Context, cancellationToken);
        Environment.SinkOpened();
    }

    protected override async ValueTask ProcessBatchAsync(StreamRecord<TIn>[] records, int count, CancellationToken cancellationToken)
    {
        _wroteInEpoch |= count > 0;
        for (var i = 0; i < count; i++)
        {
            await sink.WriteAsync(records[i], cancellationToken);
        }
    }

    protected override ValueTask OnWatermarkAsync(Watermark watermark, CancellationToken cancellationToken) =>
        sink.OnWatermarkAsync(watermark, cancellationToken);

    protected override ValueTask OnIdleAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    protected override ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        PipelineMetrics.DeadLetterWritten(deadLetter.Reason);
        _wroteInEpoch = true;
        return sink.WriteDeadLetterAsync(deadLetter, cancellationToken);
    }

    // The sink's snapshot is its flush and pre-commit, its completion notification the commit: both are timed for
    // the checkpoint history (the operator's view), not for the protocol.
    protected override async ValueTask<OperatorSnapshot> SnapshotAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = await sink.SnapshotStateAsync(checkpointId, cancellationToken);
        var prepareMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        PipelineMetrics.SinkPrepared(prepareMs);
        Environment.Coordinator.History?.SinkPrepared(checkpointId, prepareMs);
        if (_wroteInEpoch)
        {
            _wroteInEpoch = false;
            _preparedUncommitted++;
            Environment.Faults.Reach(FaultPoint.AfterPrepare);
        }

        return snapshot;
    }

    protected override ValueTask ForwardBarrierAsync(CheckpointBarrier barrier, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    protected override ValueTask OnEndOfInputAsync(CancellationToken cancellationToken) => sink.EndOfInputAsync(cancellationToken);

    protected override async ValueTask NotifyCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await sink.NotifyCheckpointCompleteAsync(checkpointId, cancellationToken);
        var commitMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        PipelineMetrics.SinkCommitted(commitMs);
        Environment.Coordinator.History?.SinkCommitted(checkpointId, commitMs);
        if (_preparedUncommitted > 0)
        {
            _preparedUncommitted = 0;
            Environment.Faults.Reach(FaultPoint.AfterCommitBeforeOffsets);
        }
    }

    protected override ValueTask NotifyAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        sink.NotifyCheckpointAbortedAsync(checkpointId, cancellationToken);

    public override ValueTask DisposeAsync() => sink.DisposeAsync();
}
