using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Harness;

/// <summary>
/// Drives one sink subtask by script, as the runtime would:
/// <c>await h.WriteAsync(x, ts); var s = await h.SnapshotAsync(id); await h.NotifyCompleteAsync(id);</c>.
/// </summary>
public sealed class SinkHarness<T> : IAsyncDisposable
{
    private readonly ISink<T> _sink;

    internal SinkHarness(ISink<T> sink, OperatorContext context)
    {
        _sink = sink;
        Context = context;
    }

    public OperatorContext Context { get; }

    public ValueTask WriteAsync(T value, long timestamp = 0) =>
        _sink.WriteAsync(new StreamRecord<T>(value, timestamp), CancellationToken.None);

    public ValueTask WriteDeadLetterAsync(DeadLetter deadLetter) => _sink.WriteDeadLetterAsync(deadLetter, CancellationToken.None);

    public ValueTask<OperatorSnapshot> SnapshotAsync(long checkpointId) =>
        _sink.SnapshotStateAsync(new CheckpointId(checkpointId), CancellationToken.None);

    public ValueTask NotifyCompleteAsync(long checkpointId) =>
        _sink.NotifyCheckpointCompleteAsync(new CheckpointId(checkpointId), CancellationToken.None);

    public ValueTask NotifyAbortedAsync(long checkpointId) =>
        _sink.NotifyCheckpointAbortedAsync(new CheckpointId(checkpointId), CancellationToken.None);

    public ValueTask DisposeAsync() => _sink.DisposeAsync();
}
