using Etl.Pipeline.Checkpointing;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// The job's sinks already committed an epoch after the point the job was about to restore (or after nothing, when
/// no checkpoint was found): restoring it would replay that epoch and duplicate what it wrote. Restore a newer
/// checkpoint or savepoint (one at or after <see cref="HighestCommitted"/>), or start from nothing deliberately with
/// <see cref="JobOptions.StartFresh"/>.
/// </summary>
public sealed class CommittedBeyondRestorePointException : InvalidOperationException
{
    public CommittedBeyondRestorePointException(string jobName, CheckpointData? restorePoint, string? location, CheckpointId highestCommitted)
        : base(Describe(jobName, restorePoint, location, highestCommitted))
    {
        JobName = jobName;
        RestorePoint = restorePoint?.Id ?? CheckpointId.None;
        HighestCommitted = highestCommitted;
    }

    public CommittedBeyondRestorePointException()
        : this("", null, null, CheckpointId.None)
    {
    }

    public CommittedBeyondRestorePointException(string message)
        : base(message)
    {
        JobName = "";
    }

    public CommittedBeyondRestorePointException(string message, Exception innerException)
        : base(message, innerException)
    {
        JobName = "";
    }

    public string JobName { get; }

    /// <summary>The checkpoint or savepoint that would have been restored; <see cref="CheckpointId.None"/> for a start from nothing.</summary>
    public CheckpointId RestorePoint { get; }

    /// <summary>The highest checkpoint id whose side effects a sink committed.</summary>
    public CheckpointId HighestCommitted { get; }

    private static string Describe(string jobName, CheckpointData? restorePoint, string? location, CheckpointId highestCommitted)
    {
        var what = restorePoint is null
            ? "no checkpoint or savepoint was found, so it would start from nothing"
            : $"it would restore {restorePoint.Kind.ToString().ToLowerInvariant()} {restorePoint.Id}{(location is null ? "" : $" ({location})")}";
        return $"Job '{jobName}': its sinks already committed the epoch of checkpoint {highestCommitted}, but {what}; replaying from there " +
            "would write those epochs a second time. Restore the checkpoint or savepoint that committed them (or a newer one) with " +
            $"--from-checkpoint ({nameof(JobOptions)}.{nameof(JobOptions.RestoreFrom)}), or start from nothing deliberately with --start-fresh " +
            $"({nameof(JobOptions)}.{nameof(JobOptions.StartFresh)}; checkpoint ids then continue after {highestCommitted}).";
    }
}
