using Etl.Pipeline.Checkpointing;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// The job has completed checkpoints or savepoints, but none of them can be read (corrupted, truncated, permission
/// denied, I/O error). Starting from nothing would roll back what they hold pending and re-read the input from the
/// start, so the job refuses: repair or restore one of them (<see cref="JobOptions.RestoreFrom"/>), or start from
/// nothing deliberately with <see cref="JobOptions.StartFresh"/>.
/// </summary>
public sealed class NoReadableCheckpointException : InvalidOperationException
{
    public NoReadableCheckpointException(string jobName, IReadOnlyList<SkippedCheckpoint> unreadable)
        : base(Describe(jobName, unreadable))
    {
        JobName = jobName;
        Unreadable = unreadable;
    }

    public NoReadableCheckpointException()
        : this("", [])
    {
    }

    public NoReadableCheckpointException(string message)
        : base(message)
    {
        JobName = "";
        Unreadable = [];
    }

    public NoReadableCheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
        JobName = "";
        Unreadable = [];
    }

    public string JobName { get; }

    /// <summary>Every restore point found, newest first, with why it could not be read.</summary>
    public IReadOnlyList<SkippedCheckpoint> Unreadable { get; }

    private static string Describe(string jobName, IReadOnlyList<SkippedCheckpoint> unreadable) =>
        $"Job '{jobName}' has {unreadable.Count} completed checkpoint(s) or savepoint(s) but none can be read: " +
        string.Join("; ", unreadable.Select(u => $"{u.Location}: {u.Reason}")) +
        ". Starting from nothing would roll back their pending transactions and re-read the input. Repair one, restore one with " +
        $"--from-checkpoint ({nameof(JobOptions)}.{nameof(JobOptions.RestoreFrom)}), or start from nothing deliberately with --start-fresh " +
        $"({nameof(JobOptions)}.{nameof(JobOptions.StartFresh)}).";
}
