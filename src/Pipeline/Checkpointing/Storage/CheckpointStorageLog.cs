using Microsoft.Extensions.Logging;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>The events of every checkpoint storage (file system, in-memory, object stores), one event id each.</summary>
internal static partial class CheckpointStorageLog
{
    [LoggerMessage(EventId = 1, EventName = "CheckpointStored", Level = LogLevel.Debug,
        Message = "Stored {Kind} {CheckpointId} of job {JobName} at {Location} ({SizeInBytes} bytes)")]
    public static partial void CheckpointStored(
        this ILogger logger, CheckpointKind kind, long checkpointId, string jobName, string location, long sizeInBytes);

    [LoggerMessage(EventId = 2, EventName = "CheckpointSubsumed", Level = LogLevel.Debug,
        Message = "Deleted checkpoint {Location} of job {JobName} (retention)")]
    public static partial void CheckpointSubsumed(this ILogger logger, string location, string jobName);

    [LoggerMessage(EventId = 3, EventName = "CorruptCheckpointSkipped", Level = LogLevel.Warning,
        Message = "Skipped checkpoint {Location} of job {JobName} for restore: {Reason}")]
    public static partial void CorruptCheckpointSkipped(this ILogger logger, string location, string jobName, string reason);

    [LoggerMessage(EventId = 4, EventName = "CheckpointsDeletedOnCancellation", Level = LogLevel.Information,
        Message = "Job {JobName} was cancelled: deleted {Count} checkpoints (savepoints kept)")]
    public static partial void CheckpointsDeletedOnCancellation(this ILogger logger, string jobName, int count);

    [LoggerMessage(EventId = 5, EventName = "AfterCommitPointFailed", Level = LogLevel.Warning,
        Message = "{Kind} {CheckpointId} of job {JobName} at {Location} is committed (_metadata in place), but what follows the commit (flushing, retention) failed; it stays complete")]
    public static partial void AfterCommitPointFailed(
        this ILogger logger, CheckpointKind kind, long checkpointId, string jobName, string location, Exception error);
}
