using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Harness;

/// <summary>
/// Drives one operator subtask by script, as the runtime would (STYLE 19):
/// <c>await h.ProcessAsync(x, ts); var s = await h.SnapshotAsync(id); await h.NotifyCompleteAsync(id);</c>
/// and restores a fresh instance from snapshots with <see cref="OperatorHarness"/>.
/// </summary>
public sealed class OperatorHarness<TIn, TOut> : IAsyncDisposable
{
    private readonly IOperator<TIn, TOut> _operator;

    internal OperatorHarness(IOperator<TIn, TOut> op, OperatorContext context)
    {
        _operator = op;
        Context = context;
    }

    public OperatorContext Context { get; }

    public ListCollector<TOut> Output { get; } = new();

    public ValueTask ProcessAsync(TIn value, long timestamp) =>
        _operator.ProcessAsync(new StreamRecord<TIn>(value, timestamp), Output, CancellationToken.None);

    public ValueTask WatermarkAsync(long timestamp) =>
        _operator.OnWatermarkAsync(new Watermark(timestamp), Output, CancellationToken.None);

    public ValueTask<OperatorSnapshot> SnapshotAsync(long checkpointId) =>
        _operator.SnapshotStateAsync(new CheckpointId(checkpointId), CancellationToken.None);

    public ValueTask NotifyCompleteAsync(long checkpointId) =>
        _operator.NotifyCheckpointCompleteAsync(new CheckpointId(checkpointId), CancellationToken.None);

    public ValueTask NotifyAbortedAsync(long checkpointId) =>
        _operator.NotifyCheckpointAbortedAsync(new CheckpointId(checkpointId), CancellationToken.None);

    public ValueTask EndOfInputAsync() => _operator.EndOfInputAsync(Output, CancellationToken.None);

    public ValueTask DisposeAsync() => _operator.DisposeAsync();
}
