using Etl.Pipeline.State;

namespace Etl.Pipeline;

/// <summary>
/// The start of a job. The runtime calls <see cref="PollAsync"/> in a loop and injects checkpoint
/// barriers between two polls, so a snapshot always sits between two records.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="bullet">
/// <item><see cref="PollAsync"/> emits what is available now (at most a batch) and returns within a
/// short bounded time (about 100 ms at most) even when nothing arrives: a poll that blocks delays
/// every checkpoint.</item>
/// <item><see cref="SnapshotStateAsync"/> returns the position to resume from (for Kafka: per partition
/// the next offset to read and its watermark). After a restore the source resumes from there and from
/// nowhere else.</item>
/// <item>Notifications follow the subsuming contract of <see cref="IOperator{TIn,TOut}"/>.</item>
/// </list>
/// </remarks>
public interface ISource<TOut> : IAsyncDisposable
{
    /// <summary>Emits the next records (and watermarks) into <paramref name="output"/>.</summary>
    ValueTask<SourcePollResult> PollAsync(ISourceOutput<TOut> output, CancellationToken cancellationToken);

    ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(OperatorSnapshot.Empty);

    ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    ValueTask IAsyncDisposable.DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
