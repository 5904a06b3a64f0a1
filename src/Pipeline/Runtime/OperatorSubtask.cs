using Etl.Pipeline.Metrics;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Runtime;

/// <summary>Drives an <see cref="IOperator{TIn,TOut}"/>: after each call into it, flushes what it collected (backpressure).</summary>
internal sealed class OperatorSubtask<TIn, TOut>(
    SubtaskEnvironment environment, InputGate<TIn> gate, IOperator<TIn, TOut> op, OutputRouter<TOut> output)
    : InputSubtask<TIn>(environment, gate)
{
    protected override ValueTask OpenAsync(CancellationToken cancellationToken) => op.OpenAsync(Environment.Context, cancellationToken);

    protected override async ValueTask ProcessBatchAsync(StreamRecord<TIn>[] records, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await op.ProcessAsync(records[i], output, cancellationToken);
        }

        await FlushAsync(cancellationToken);
    }

    protected override async ValueTask OnWatermarkAsync(Watermark watermark, CancellationToken cancellationToken)
    {
        await op.OnWatermarkAsync(watermark, output, cancellationToken);
        output.ForwardWatermark(watermark);
        await FlushAsync(cancellationToken);
    }

    protected override ValueTask OnIdleAsync(CancellationToken cancellationToken)
    {
        output.MarkIdle();
        return output.FlushAsync(cancellationToken);
    }

    protected override ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        output.CollectDeadLetter(deadLetter);
        return output.FlushAsync(cancellationToken);
    }

    protected override ValueTask<OperatorSnapshot> SnapshotAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        op.SnapshotStateAsync(checkpointId, cancellationToken);

    protected override ValueTask ForwardBarrierAsync(CheckpointBarrier barrier, CancellationToken cancellationToken)
    {
        output.Broadcast(StreamElement<TOut>.OfBarrier(barrier));
        return output.FlushAsync(cancellationToken);
    }

    protected override async ValueTask OnEndOfInputAsync(CancellationToken cancellationToken)
    {
        await op.EndOfInputAsync(output, cancellationToken);
        output.Broadcast(StreamElement<TOut>.EndOfInput);
        await FlushAsync(cancellationToken);
    }

    protected override ValueTask NotifyCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        op.NotifyCheckpointCompleteAsync(checkpointId, cancellationToken);

    protected override ValueTask NotifyAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        op.NotifyCheckpointAbortedAsync(checkpointId, cancellationToken);

    public override ValueTask DisposeAsync() => op.DisposeAsync();

    private ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        PipelineMetrics.RecordsEmitted(Id.OperatorId, output.TakeCollectedCount());
        return output.FlushAsync(cancellationToken);
    }
}
