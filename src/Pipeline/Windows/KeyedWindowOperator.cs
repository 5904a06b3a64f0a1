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
    private readonly WindowAssignerDescription _windows;
    private readonly Func<TIn, byte[]> _serializeLateRecord;
    private readonly OutputTag<TIn>? _lateData;
    private KeyValuePair<string, object?> _operatorTag = new("operator", "unopened");
    private int _maxParallelism = KeyGroups.DefaultMaxParallelism;
    private long _restoredWatermark = long.MinValue;

    protected KeyedWindowOperator(
        Func<TIn, TKey> keySelector, KeyFormat<TKey> keyFormat, IAggregate<TIn, TAcc, TResult> aggregate,
        WindowOptions<TIn> options, WindowAssignerDescription windows)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(keyFormat);
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(options);
        KeySelector = keySelector;
        KeyFormat = keyFormat;
        _serializeLateRecord = options.SerializeLateRecord;
        _lateData = options.LateDataTag;
        Store = new WindowStore<TIn, TKey, TAcc, TResult>(aggregate, options.Validate(), idleKeyRetention: windows.Size);
        _windows = windows;
        _codec = new WindowStateCodec<TKey, TAcc>(keyFormat, aggregate.AccumulatorSerializer, windows.Kind);
    }

    protected Func<TIn, TKey> KeySelector { get; }

    protected KeyFormat<TKey> KeyFormat { get; }

    protected WindowStore<TIn, TKey, TAcc, TResult> Store { get; }

    public ValueTask ProcessAsync(StreamRecord<TIn> input, ICollector<WindowResult<TKey, TResult>> output, CancellationToken cancellationToken)
    {
        ApplyRestoredWatermark(output);
        return ProcessRecordAsync(input, output, cancellationToken);
    }

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _operatorTag = new("operator", context.OperatorId);
        _maxParallelism = context.MaxParallelism;
        if (context.Restored is { } restored)
        {
            // The windows' description is checked before any keyed state is read: old windows restored into new
            // ones would be mixed silently (a new record's window next to an old overlapping one).
            var (watermark, changed, unverified) = WindowOperatorState.Restore(restored, _windows);
            var logger = context.LoggerFactory.CreateLogger<KeyedWindowOperator<TIn, TKey, TAcc, TResult>>();
            _restoredWatermark = watermark;
            if (changed is { } stored)
            {
                if (!context.AllowNonRestoredState)
                {
                    throw WindowOperatorState.Incompatible(context.OperatorId, restored.CheckpointId, stored, _windows);
                }

                LogWindowsDropped(logger, context.OperatorId, context.SubtaskIndex, restored.CheckpointId.Value, stored.ToString(), _windows.ToString());
                return ValueTask.CompletedTask;
            }

            if (unverified)
            {
                LogWindowsUnverified(logger, context.OperatorId, context.SubtaskIndex, restored.CheckpointId.Value, _windows.ToString());
            }

            var windows = _codec.Restore(Store, restored.KeyedState, context.KeyGroups, context.MaxParallelism);
            if (logger.IsEnabled(LogLevel.Information))
            {
                LogRestored(logger, context.OperatorId, context.SubtaskIndex, restored.CheckpointId.Value, windows, Store.KeyCount, _restoredWatermark);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnWatermarkAsync(Watermark watermark, ICollector<WindowResult<TKey, TResult>> output, CancellationToken cancellationToken)
    {
        ApplyRestoredWatermark(output);
        Store.AdvanceWatermark(watermark.Timestamp, output);
        return ValueTask.CompletedTask;
    }

    // A restored watermark not applied yet (nothing arrived since the restore) still holds.
    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new OperatorSnapshot(
            WindowOperatorState.Encode(Math.Max(Store.Watermark, _restoredWatermark), _windows), _codec.Snapshot(Store, _maxParallelism)));

    /// <summary>End of input: event time jumps to the end, so every open window fires and is dropped.</summary>
    public ValueTask EndOfInputAsync(ICollector<WindowResult<TKey, TResult>> output, CancellationToken cancellationToken) =>
        OnWatermarkAsync(Watermark.Max, output, cancellationToken);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Adds a record to its windows; the restored watermark is in place already.</summary>
    protected abstract ValueTask ProcessRecordAsync(
        StreamRecord<TIn> input, ICollector<WindowResult<TKey, TResult>> output, CancellationToken cancellationToken);

    /// <summary>
    /// Brings event time back to where it was at the checkpoint before the first record or watermark
    /// after a restore, so a record for a window fired and dropped before it goes to the late output
    /// instead of opening a fresh window. Every window whose end that watermark had passed fired
    /// before the checkpoint, so this fires nothing again; it goes through the timers anyway, so any
    /// window that is due is fired rather than lost.
    /// </summary>
    private void ApplyRestoredWatermark(ICollector<WindowResult<TKey, TResult>> output)
    {
        if (_restoredWatermark != long.MinValue)
        {
            Store.AdvanceWatermark(_restoredWatermark, output);
            _restoredWatermark = long.MinValue;
        }
    }

    /// <summary>A record fired a window whose end the watermark had passed (or that had fired before).</summary>
    protected void FireLate(TKey key, ref WindowSlot<TAcc> window, ICollector<WindowResult<TKey, TResult>> output)
    {
        Store.Fire(key, ref window, isLateUpdate: true, output);
        WindowMetrics.LateUpdates.Add(1, _operatorTag);
    }

    /// <summary>Sends a record that no window accepts any more to the late output (the late-data side output, else a dead letter); never drops it.</summary>
    protected void RejectLate(TKey key, StreamRecord<TIn> input, ICollector<WindowResult<TKey, TResult>> output)
    {
        WindowMetrics.LateRecords.Add(1, _operatorTag);
        if (_lateData is { } tag)
        {
            output.Collect(tag, input.Value, input.Timestamp);
            return;
        }

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
        Message = "Operator {OperatorId} subtask {Subtask} restored {Windows} windows of {Keys} keys and watermark {Watermark} from checkpoint {CheckpointId}")]
    private static partial void LogRestored(ILogger logger, string operatorId, int subtask, long checkpointId, int windows, int keys, long watermark);

    [LoggerMessage(EventId = 2, EventName = "WindowStateDropped", Level = LogLevel.Warning,
        Message = "Operator {OperatorId} subtask {Subtask} dropped the windows of checkpoint {CheckpointId} ({Stored}) because the job now has {Current} (allow-non-restored-state); the watermark is kept")]
    private static partial void LogWindowsDropped(ILogger logger, string operatorId, int subtask, long checkpointId, string stored, string current);

    [LoggerMessage(EventId = 3, EventName = "WindowConfigurationUnverified", Level = LogLevel.Warning,
        Message = "Operator {OperatorId} subtask {Subtask}: checkpoint {CheckpointId} was written before window state recorded its windows; restoring it as {Current} without a check (the next checkpoint records them)")]
    private static partial void LogWindowsUnverified(ILogger logger, string operatorId, int subtask, long checkpointId, string current);
}
