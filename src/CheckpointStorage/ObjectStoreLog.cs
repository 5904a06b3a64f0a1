using Etl.Pipeline;
using Microsoft.Extensions.Logging;

namespace Etl.CheckpointStorage;

internal static partial class ObjectStoreLog
{
    [LoggerMessage(EventId = 101, EventName = "CheckpointStored", Level = LogLevel.Debug,
        Message = "Stored {Kind} {CheckpointId} of job {JobName} at {Location} ({SizeInBytes} bytes)")]
    public static partial void CheckpointStored(this ILogger logger, CheckpointKind kind, long checkpointId, string jobName, string location, long sizeInBytes);

    [LoggerMessage(EventId = 102, EventName = "CheckpointSubsumed", Level = LogLevel.Debug,
        Message = "Deleted checkpoint {Location} of job {JobName} (retention)")]
    public static partial void CheckpointSubsumed(this ILogger logger, string location, string jobName);

    [LoggerMessage(EventId = 103, EventName = "CorruptCheckpointSkipped", Level = LogLevel.Warning,
        Message = "Skipped checkpoint {Location} of job {JobName} for restore: {Reason}")]
    public static partial void CorruptCheckpointSkipped(this ILogger logger, string location, string jobName, string reason);

    [LoggerMessage(EventId = 104, EventName = "AfterCommitPointFailed", Level = LogLevel.Warning,
        Message = "{Kind} {CheckpointId} of job {JobName} at {Location} is committed (_metadata in place), but applying retention failed; it stays complete")]
    public static partial void AfterCommitPointFailed(this ILogger logger, CheckpointKind kind, long checkpointId, string jobName, string location, Exception error);

    [LoggerMessage(EventId = 105, EventName = "CommitLostToAnotherWriter", Level = LogLevel.Warning,
        Message = "{Kind} {CheckpointId} of job {JobName} at {Location} was committed by another writer first; this attempt's state objects are deleted")]
    public static partial void CommitLostToAnotherWriter(this ILogger logger, CheckpointKind kind, long checkpointId, string jobName, string location);

    [LoggerMessage(EventId = 106, EventName = "CheckpointsDeletedOnCancellation", Level = LogLevel.Information,
        Message = "Job {JobName} was cancelled: deleted {Count} checkpoints (savepoints kept)")]
    public static partial void CheckpointsDeletedOnCancellation(this ILogger logger, string jobName, int count);

    [LoggerMessage(EventId = 107, EventName = "StoreFailover", Level = LogLevel.Warning,
        Message = "Checkpoint store {From} failed ({Reason}); failing over to {To}")]
    public static partial void StoreFailover(this ILogger logger, string from, string to, string reason);
}
