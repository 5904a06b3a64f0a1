using Microsoft.Extensions.Logging;

namespace Etl.Hosting.Job;

/// <summary>The worker service's log events.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 200, EventName = "WorkerStarting", Level = LogLevel.Information,
        Message = "Job {Job}: starting with parallelism {Parallelism} ({Description}), checkpoints every {Interval} in {CheckpointDirectory} ({Mode}), restore from {RestoreFrom}")]
    public static partial void Starting(this ILogger logger, string job, int parallelism, string description, string interval, string checkpointDirectory, string mode, string restoreFrom);

    [LoggerMessage(EventId = 201, EventName = "JobFinished", Level = LogLevel.Information,
        Message = "Job {Job}: finished after {Attempts} attempts with {Kind} {CheckpointId} at {Location}")]
    public static partial void Finished(this ILogger logger, string job, int attempts, string kind, long checkpointId, string location);

    [LoggerMessage(EventId = 202, EventName = "JobFailed", Level = LogLevel.Critical, Message = "Job {Job}: failed")]
    public static partial void Failed(this ILogger logger, string job, Exception error);

    [LoggerMessage(EventId = 203, EventName = "StopWithSavepoint", Level = LogLevel.Information,
        Message = "Job {Job}: stop requested; taking a final savepoint")]
    public static partial void StoppingWithSavepoint(this ILogger logger, string job);

    [LoggerMessage(EventId = 204, EventName = "StopWithSavepointFailed", Level = LogLevel.Error,
        Message = "Job {Job}: the final savepoint failed; cancelling the job (it restores from its latest checkpoint on the next start)")]
    public static partial void StopWithSavepointFailed(this ILogger logger, string job, Exception error);

    [LoggerMessage(EventId = 205, EventName = "JobLockLost", Level = LogLevel.Warning,
        Message = "Job {Job}: the job lock's PostgreSQL session ended; the run was stopped before it wrote anything more, re-taking the lock")]
    public static partial void JobLockLost(this ILogger logger, string job, Exception? error);

    [LoggerMessage(EventId = 207, EventName = "JobLockRetaken", Level = LogLevel.Warning,
        Message = "Job {Job}: re-took the job lock; starting a new run from {RestoreFrom}")]
    public static partial void JobLockRetaken(this ILogger logger, string job, string restoreFrom);

    [LoggerMessage(EventId = 206, EventName = "FaultArmed", Level = LogLevel.Warning,
        Message = "ETL_FAULT is set: this process kills itself at {Point} (occurrence {Occurrence})")]
    public static partial void FaultArmed(this ILogger logger, string point, int occurrence);

    [LoggerMessage(EventId = 209, EventName = "StandbyWaiting", Level = LogLevel.Information,
        Message = "Job {Job}: standby; waiting for the job lock held by {ActiveWorker}")]
    public static partial void StandbyWaiting(this ILogger logger, string job, string activeWorker);

    [LoggerMessage(EventId = 210, EventName = "StandbyTakingOver", Level = LogLevel.Warning,
        Message = "Job {Job}: took the job lock that {ActiveWorker} held; taking over from the newest checkpoint or savepoint")]
    public static partial void TakingOver(this ILogger logger, string job, string activeWorker);

    [LoggerMessage(EventId = 208, EventName = "MonitorFailed", Level = LogLevel.Warning, Message = "Job {Job}: a monitor failed (monitoring only)")]
    public static partial void MonitorFailed(this ILogger logger, string job, Exception error);
}
