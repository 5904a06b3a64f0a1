using Etl.Pipeline.State;

namespace Etl.Pipeline;

/// <summary>
/// A step of a job: one required method and defaulted lifecycle hooks (Flink's StreamOperator,
/// trimmed). The runtime calls every method of one subtask's instance from one logical thread, in
/// stream order, so an operator needs no locks.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="bullet">
/// <item><see cref="OpenAsync"/> runs once before any other call. When the job restores, the
/// context carries the state of the checkpoint it restores from; the operator rebuilds itself from
/// it there and nowhere else.</item>
/// <item><see cref="SnapshotStateAsync"/> runs when barrier n has arrived on every input (exactly-once
/// mode). It returns everything needed to continue exactly after the last record processed before the
/// barrier, as small versioned records; it never keeps references into live objects.</item>
/// <item>Notifications may be lost, late, or reordered (a crash right after a checkpoint completed
/// loses them). Completing checkpoint n implies that every checkpoint &lt;= n is complete (the
/// subsuming contract). An aborted checkpoint must behave as if it was never triggered; it must not
/// discard data.</item>
/// </list>
/// </remarks>
public interface IOperator<TIn, TOut> : IAsyncDisposable
{
    /// <summary>Processes one record.</summary>
    ValueTask ProcessAsync(StreamRecord<TIn> input, ICollector<TOut> output, CancellationToken cancellationToken);

    /// <summary>Prepares the operator, restoring from <see cref="OperatorContext.Restored"/> if present.</summary>
    ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Event time advanced to <paramref name="watermark"/> (the minimum over all inputs).</summary>
    ValueTask OnWatermarkAsync(Watermark watermark, ICollector<TOut> output, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    /// <summary>Takes this subtask's part of checkpoint <paramref name="checkpointId"/>.</summary>
    ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(OperatorSnapshot.Empty);

    /// <summary>Checkpoint <paramref name="checkpointId"/> and every earlier one are complete and durable.</summary>
    ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    /// <summary>Checkpoint <paramref name="checkpointId"/> was aborted; act as if it was never triggered.</summary>
    ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    /// <summary>Every input ended (bounded sources). Emit what is still buffered; a final checkpoint follows.</summary>
    ValueTask EndOfInputAsync(ICollector<TOut> output, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask IAsyncDisposable.DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
