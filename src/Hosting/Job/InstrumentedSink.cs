using System.Diagnostics;
using Etl.Pipeline;
using Etl.Pipeline.Faults;
using Etl.Pipeline.State;

namespace Etl.Worker.Job;

/// <summary>
/// Wraps the job's sink: times prepare and commit, counts dead letters by reason, and passes the
/// <see cref="FaultPoint.AfterPrepare"/> and <see cref="FaultPoint.AfterCommitBeforeOffsets"/> fault points.
/// It also reports to <see cref="JobReadiness"/> once the sink opened (restored). Every call goes straight
/// through; nothing is buffered or reordered.
/// </summary>
internal sealed class InstrumentedSink<T>(ISink<T> inner, IFaultInjector faults, JobReadiness readiness, FatalFailures fatal, int attempt) : ISink<T>
{
    // An epoch with writes is prepared at its barrier; one without prepares nothing. The fault points fire only
    // where a transaction really was prepared or committed, so a test killed there finds the dangerous state.
    private bool _wroteInEpoch;
    private int _preparedUncommitted;

    public ValueTask WriteAsync(StreamRecord<T> input, CancellationToken cancellationToken)
    {
        _wroteInEpoch = true;
        return inner.WriteAsync(input, cancellationToken);
    }

    public ValueTask WriteDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        WorkerMetrics.DeadLetters.Add(1, new KeyValuePair<string, object?>("reason", deadLetter.Reason));
        _wroteInEpoch = true;
        return inner.WriteDeadLetterAsync(deadLetter, cancellationToken);
    }

    public async ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        try
        {
            await inner.OpenAsync(context, cancellationToken);
        }
        catch (Exception e) when (fatal.Observe(e))
        {
            throw;
        }

        readiness.SinkOpened(attempt);
    }

    public ValueTask OnWatermarkAsync(Watermark watermark, CancellationToken cancellationToken) => inner.OnWatermarkAsync(watermark, cancellationToken);

    public async ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = await inner.SnapshotStateAsync(checkpointId, cancellationToken);
        WorkerMetrics.PrepareDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (_wroteInEpoch)
        {
            _wroteInEpoch = false;
            _preparedUncommitted++;
            faults.Reach(FaultPoint.AfterPrepare);
        }

        return snapshot;
    }

    public async ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await inner.NotifyCheckpointCompleteAsync(checkpointId, cancellationToken);
        }
        catch (Exception e) when (fatal.Observe(e))
        {
            throw;
        }

        WorkerMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (_preparedUncommitted > 0)
        {
            _preparedUncommitted = 0;
            faults.Reach(FaultPoint.AfterCommitBeforeOffsets);
        }
    }

    public ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.NotifyCheckpointAbortedAsync(checkpointId, cancellationToken);

    public ValueTask EndOfInputAsync(CancellationToken cancellationToken) => inner.EndOfInputAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
