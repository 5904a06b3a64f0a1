using Etl.Pipeline.State;

namespace Etl.Pipeline;

/// <summary>
/// The end of a job: an operator without output. It sees records and dead letters in stream order.
/// The lifecycle contract is that of <see cref="IOperator{TIn,TOut}"/>: in particular a transactional
/// sink pre-commits inside <see cref="SnapshotStateAsync"/> and commits in
/// <see cref="NotifyCheckpointCompleteAsync"/>, committing everything up to the notified id because
/// notifications may be lost.
/// </summary>
public interface ISink<TIn> : IAsyncDisposable
{
    /// <summary>Writes one record into the current epoch.</summary>
    ValueTask WriteAsync(StreamRecord<TIn> input, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one dead letter into the current epoch. A sink that cannot store dead letters fails the
    /// job rather than drop them.
    /// </summary>
    ValueTask WriteDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken) =>
        throw new DeadLetterNotSupportedException(GetType().Name, deadLetter);

    ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask OnWatermarkAsync(Watermark watermark, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(OperatorSnapshot.Empty);

    ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    ValueTask EndOfInputAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask IAsyncDisposable.DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
