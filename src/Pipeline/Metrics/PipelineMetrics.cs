using System.Diagnostics.Metrics;
using Etl.Pipeline.Checkpointing;

namespace Etl.Pipeline.Metrics;

/// <summary>The runtime's instruments on the "Etl" meter; the worker exports them.</summary>
internal static class PipelineMetrics
{
    public const string MeterName = "Etl";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> RecordsIn = Meter.CreateCounter<long>("etl.records.in", "{record}", "Records an operator subtask received.");
    private static readonly Counter<long> RecordsOut = Meter.CreateCounter<long>("etl.records.out", "{record}", "Records an operator subtask emitted.");
    private static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram<double>("etl.checkpoint.duration", "ms", "Trigger to durable completion.");
    private static readonly Histogram<long> CheckpointSize = Meter.CreateHistogram<long>("etl.checkpoint.size", "By", "Size of a completed checkpoint.");
    private static readonly Counter<long> CheckpointsFailed = Meter.CreateCounter<long>("etl.checkpoint.failed", "{checkpoint}", "Aborted checkpoints by reason.");
    private static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>(
        "etl.sink.dead_letters", "{record}", "Dead letters written to a sink, by reason (deserialization, event-time-ahead, late).");
    private static readonly Histogram<double> SinkCommitDuration = Meter.CreateHistogram<double>(
        "etl.sink.commit.duration", "ms", "Time a sink took to commit a completed checkpoint's transactions (COMMIT PREPARED).");
    private static readonly Histogram<double> SinkPrepareDuration = Meter.CreateHistogram<double>(
        "etl.sink.prepare.duration", "ms", "Time a sink took to flush and prepare its transaction at a barrier.");
    private static readonly Counter<double> BackPressuredTime = Meter.CreateCounter<double>(
        "etl.subtask.backpressured_time", "ms", "Time a subtask waited on a full downstream channel (back-pressure), by operator and subtask.");

    private static long _lastCompletedId;

    static PipelineMetrics() =>
        Meter.CreateObservableGauge("etl.checkpoint.last_completed_id", () => Interlocked.Read(ref _lastCompletedId), "{id}", "The last completed checkpoint id.");

    public static void DeadLetterWritten(string reason) => DeadLetters.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void SinkPrepared(double durationMs) => SinkPrepareDuration.Record(durationMs);

    public static void SinkCommitted(double durationMs) => SinkCommitDuration.Record(durationMs);

    public static void RecordsReceived(string operatorId, long count)
    {
        if (count > 0 && RecordsIn.Enabled)
        {
            RecordsIn.Add(count, new KeyValuePair<string, object?>("operator", operatorId));
        }
    }

    public static void RecordsEmitted(string operatorId, long count)
    {
        if (count > 0 && RecordsOut.Enabled)
        {
            RecordsOut.Add(count, new KeyValuePair<string, object?>("operator", operatorId));
        }
    }

    public static void BackPressured(double milliseconds, ReadOnlySpan<KeyValuePair<string, object?>> operatorAndSubtask) =>
        BackPressuredTime.Add(milliseconds, operatorAndSubtask);

    public static void CheckpointCompleted(CheckpointHandle handle, double durationMs)
    {
        CheckpointDuration.Record(durationMs);
        CheckpointSize.Record(handle.SizeInBytes);
        Interlocked.Exchange(ref _lastCompletedId, handle.Id.Value);
    }

    public static void CheckpointFailed(CheckpointFailureReason reason) =>
        CheckpointsFailed.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));
}
