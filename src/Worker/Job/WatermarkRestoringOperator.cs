using System.Buffers.Binary;
using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Worker.Job;

/// <summary>
/// Checkpoints the watermark of the operator it wraps (a window operator) and re-applies it after a restore
/// before the first record. Without this, records read right after a restore meet the window operator's
/// reset watermark (its minimum): one whose window was already emitted and dropped before the checkpoint
/// would open a fresh window and overwrite the correct total with a partial one, instead of going to the
/// late output. Waiting for the sources to re-emit their watermarks is not enough: the Kafka source emits
/// its watermark after its first batch, and an operator with several inputs needs all of them.
/// </summary>
/// <remarks>
/// State layout (operator state, version 1): byte version, int64 watermark (Unix ms), int32 length of the
/// inner operator's state (-1 = none), then that state. After a rescale the smallest restored watermark of
/// all old subtasks is used: it was reached before the checkpoint by every one of them, so it is safe.
/// </remarks>
internal sealed class WatermarkRestoringOperator<TIn, TOut>(IOperator<TIn, TOut> inner) : IOperator<TIn, TOut>
{
    private const byte Version = 1;
    private long _watermark = long.MinValue;
    private long _restored = long.MinValue;

    public async ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Restored is { } restored)
        {
            var own = restored.OperatorState.Select(s => (s.SubtaskIndex, Decode(s.Data))).ToList();
            var all = restored.UnionOperatorState.Select(s => Decode(s.Data).Watermark).ToList();
            _restored = all.Count == 0 ? long.MinValue : all.Min();
            var innerState = own.Where(s => s.Item2.Inner is not null).Select(s => new SubtaskState(s.SubtaskIndex, s.Item2.Inner!)).ToList();
            var innerUnion = restored.UnionOperatorState.Select(s => (s.SubtaskIndex, Decode(s.Data).Inner))
                .Where(s => s.Inner is not null).Select(s => new SubtaskState(s.SubtaskIndex, s.Inner!)).ToList();
            context = context with { Restored = restored with { OperatorState = innerState, UnionOperatorState = innerUnion } };
        }

        await inner.OpenAsync(context, cancellationToken);
    }

    public async ValueTask ProcessAsync(StreamRecord<TIn> input, ICollector<TOut> output, CancellationToken cancellationToken)
    {
        await ApplyRestoredAsync(output, cancellationToken);
        await inner.ProcessAsync(input, output, cancellationToken);
    }

    public async ValueTask OnWatermarkAsync(Watermark watermark, ICollector<TOut> output, CancellationToken cancellationToken)
    {
        await ApplyRestoredAsync(output, cancellationToken);
        if (watermark.Timestamp > _watermark)
        {
            _watermark = watermark.Timestamp;
        }

        await inner.OnWatermarkAsync(watermark, output, cancellationToken);
    }

    public async ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        var snapshot = await inner.SnapshotStateAsync(checkpointId, cancellationToken);
        // A restored watermark not yet applied (no record or watermark since the restore) still holds.
        return snapshot with { OperatorState = Encode(Math.Max(_watermark, _restored), snapshot.OperatorState) };
    }

    public ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.NotifyCheckpointCompleteAsync(checkpointId, cancellationToken);

    public ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.NotifyCheckpointAbortedAsync(checkpointId, cancellationToken);

    public ValueTask EndOfInputAsync(ICollector<TOut> output, CancellationToken cancellationToken) => inner.EndOfInputAsync(output, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    internal static byte[] Encode(long watermark, byte[]? innerState)
    {
        var bytes = new byte[1 + 8 + 4 + (innerState?.Length ?? 0)];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), watermark);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(9), innerState?.Length ?? -1);
        innerState?.CopyTo(bytes.AsSpan(13));
        return bytes;
    }

    internal static (long Watermark, byte[]? Inner) Decode(byte[] data)
    {
        if (data.Length < 13 || data[0] != Version)
        {
            throw new InvalidOperationException(
                $"The window watermark state has version {(data.Length > 0 ? data[0] : 0)} or is truncated ({data.Length} bytes); this build reads version {Version}.");
        }

        var watermark = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(1));
        var length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(9));
        return (watermark, length < 0 ? null : data.AsSpan(13, length).ToArray());
    }

    private async ValueTask ApplyRestoredAsync(ICollector<TOut> output, CancellationToken cancellationToken)
    {
        if (_restored > _watermark)
        {
            _watermark = _restored;
            await inner.OnWatermarkAsync(new Watermark(_restored), output, cancellationToken);
        }

        _restored = long.MinValue;
    }
}
