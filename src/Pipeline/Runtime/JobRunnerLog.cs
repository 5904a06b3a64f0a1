using Microsoft.Extensions.Logging;

namespace Etl.Pipeline.Runtime;

internal static partial class JobRunnerLog
{
    [LoggerMessage(EventId = 200, EventName = "JobAttemptStarting", Level = LogLevel.Information,
        Message = "Job {JobName}: attempt {Attempt} starting, restoring from {Restore}")]
    public static partial void AttemptStarting(ILogger logger, string jobName, int attempt, string restore);

    [LoggerMessage(EventId = 201, EventName = "JobAttemptFailed", Level = LogLevel.Error,
        Message = "Job {JobName}: attempt {Attempt} failed; restart: {Restart}, after {Delay} ({Reason})")]
    public static partial void AttemptFailed(ILogger logger, string jobName, int attempt, bool restart, TimeSpan delay, string reason, Exception error);

    [LoggerMessage(EventId = 202, EventName = "JobFinished", Level = LogLevel.Information,
        Message = "Job {JobName}: finished with {Kind} {CheckpointId} at {Location}")]
    public static partial void Finished(ILogger logger, string jobName, CheckpointKind kind, CheckpointId checkpointId, string location);

    [LoggerMessage(EventId = 203, EventName = "CheckpointSkipped", Level = LogLevel.Warning,
        Message = "Job {JobName}: checkpoint at {Location} skipped for restore: {Reason}")]
    public static partial void CheckpointSkipped(ILogger logger, string jobName, string location, string reason);

    [LoggerMessage(EventId = 204, EventName = "SubtaskDisposeFailed", Level = LogLevel.Warning,
        Message = "Subtask {Subtask} failed to dispose")]
    public static partial void DisposeFailed(ILogger logger, string subtask, Exception error);
}
