using Etl.Pipeline.Aggregation;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging;

namespace Etl.Pipeline.Windows;

/// <summary>
/// What every keyed event-time window operator shares: lifecycle, watermark handling, checkpointing
/// per key group, and the late output. Subclasses decide which windows a record goes into.
/// </summary>
internal abstract partial class KeyedWindowOperator<TIn, TKey, TAcc, TResult> : IOperator<TIn, WindowResult<TKey, TResult>>
    where TKey : notnull
{
    private readonly WindowStateCodec<TKey, TAcc> _codec;
    private readonly Func<TIn, byte[]> _serializeLateRecord;
    private KeyValuePair<string, object?> _operatorTag = new("operator", "unopened");
    private int _maxParallelism = KeyGroups.DefaultMaxParallelism;

    protected KeyedWindowOperator(
        Func<TIn, TKey> keySelector, KeyFormat<TKey> keyFormat, IAggregate<TIn, TAcc, TResult> aggregate,
        WindowOptions<TIn> options, byte stateKind)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(keyFormat);
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(options);
        KeySelector = keySelector;
        KeyFormat = keyFormat;
        _serializeLateRecord = options.SerializeLateRecord;
        Store = new WindowStore<TIn, TKey, TAcc, TResult>(aggregate, options.Validate());
        _codec = new WindowStateCodec<TKey, TAcc>(keyFormat, aggregate.AccumulatorSerializer, stateKind);
    }

    protected Func<TIn, TKey> KeySelector { get; }

    protected KeyFormat<TKey> KeyFormat { get; }

    protected WindowStore<TIn, TKey, TAcc, TResult> Store { get; }

    public abstract ValueTask ProcessAsync(
        StreamRecord<TIn> input, ICollector<WindowResult<TKey, TResult>> output, CancellationToken cancellationToken);

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _operatorTag = new("operator", context.OperatorId);
        _maxParallelism = context.MaxParallelism;
        if (context.Restored is { } restored)
        {
            var windows = _codec.Restore(Store, restored.KeyedState, context.KeyGroups, context.MaxParallelism);
            var logger = context.LoggerFactory.CreateLogger<KeyedWindowOperator<TIn, TKey, TAcc, TResult>>();
            if (logger.IsEnabled(LogLevel.Information))
            {
                LogRestored(logger, context.OperatorId, context.SubtaskIndex, restored.CheckpointId.Value, windows, Store.KeyCount);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnWatermarkAsync(Watermark watermark, ICollector<WindowResult<TKey, TResult>> output, CancellationToken cancellationToken)
    {
        Store.AdvanceWatermark(watermark.Timestamp, output);
        return ValueTask.CompletedTask;
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new OperatorSnapshot(null, _codec.Snapshot(Store, _maxParallelism)));

    /// <summary>End of input: event time jumps to the end, so every open window fires and is dropped.</summary>
    public ValueTask EndOfInputAsync(ICollector<WindowResult<TKey, TResult>> output, CancellationToken cancellationToken) =>
        OnWatermarkAsync(Watermark.Max, output, cancellationToken);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>A record fired a window whose end the watermark had passed (or that had fired before).</summary>
    protected void FireLate(TKey key, ref WindowSlot<TAcc> window, ICollector<WindowResult<TKey, TResult>> output)
    {
        Store.Fire(key, ref window, isLateUpdate: true, output);
        WindowMetrics.LateUpdates.Add(1, _operatorTag);
    }

    /// <summary>Sends a record that no window accepts any more to the late output; never drops it.</summary>
    protected void RejectLate(TKey key, StreamRecord<TIn> input, ICollector<WindowResult<TKey, TResult>> output)
    {
        WindowMetrics.LateRecords.Add(1, _operatorTag);
        output.CollectDeadLetter(new DeadLetter(
            Source: null,
            Key: KeyFormat.Encode(key),
            Value: _serializeLateRecord(input.Value),
            Reason: DeadLetterReasons.Late,
            Error: $"Event time {input.Timestamp} is later than the allowed lateness ({Store.AllowedLateness} ms) " +
                   $"of every window it belongs to; the watermark was {Store.Watermark}.",
            Timestamp: input.Timestamp));
    }

    [LoggerMessage(EventId = 1, EventName = "WindowStateRestored", Level = LogLevel.Information,
        Message = "Operator {OperatorId} subtask {Subtask} restored {Windows} windows of {Keys} keys from checkpoint {CheckpointId}")]
    private static partial void LogRestored(ILogger logger, string operatorId, int subtask, long checkpointId, int windows, int keys);
}
