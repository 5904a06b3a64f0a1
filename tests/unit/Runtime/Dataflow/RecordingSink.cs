using Etl.Pipeline;

namespace Etl.Tests.Unit.Runtime.Dataflow;

public sealed class RecordingSink(DataflowProbe probe) : ISink<long>
{
    public ValueTask WriteAsync(StreamRecord<long> input, CancellationToken cancellationToken)
    {
        probe.Written.Enqueue(input.Value);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        probe.DeadLetters.Enqueue(deadLetter);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnWatermarkAsync(Watermark watermark, CancellationToken cancellationToken)
    {
        probe.Watermarks.Enqueue(watermark);
        return ValueTask.CompletedTask;
    }

    public ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        probe.OnCheckpointComplete();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        probe.OnDisposed();
        return ValueTask.CompletedTask;
    }
}
