using Microsoft.Extensions.Logging;

namespace Etl.Pipeline.Checkpointing;

internal static partial class CheckpointCoordinatorLog
{
    [LoggerMessage(EventId = 100, EventName = "CheckpointTriggered", Level = LogLevel.Debug,
        Message = "Job {JobName}: triggered {Kind} {CheckpointId}")]
    public static partial void Triggered(ILogger logger, string jobName, CheckpointKind kind, CheckpointId checkpointId);

    [LoggerMessage(EventId = 101, EventName = "CheckpointCompleted", Level = LogLevel.Information,
        Message = "Job {JobName}: {Kind} {CheckpointId} completed at {Location} ({SizeInBytes} bytes, {DurationMs} ms)")]
    public static partial void Completed(
        ILogger logger, string jobName, CheckpointKind kind, CheckpointId checkpointId, string location, long sizeInBytes, double durationMs);

    [LoggerMessage(EventId = 102, EventName = "CheckpointAborted", Level = LogLevel.Warning,
        Message = "Job {JobName}: checkpoint {CheckpointId} aborted ({Reason}); {ConsecutiveFailures} consecutive failures, {Tolerable} tolerated")]
    public static partial void Aborted(
        ILogger logger, string jobName, CheckpointId checkpointId, CheckpointFailureReason reason, int consecutiveFailures, int tolerable, Exception? error);

    [LoggerMessage(EventId = 103, EventName = "FinalCheckpointTriggered", Level = LogLevel.Information,
        Message = "Job {JobName}: every input ended; taking the final checkpoint {CheckpointId}")]
    public static partial void FinalTriggered(ILogger logger, string jobName, CheckpointId checkpointId);
}
