using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Runtime;

/// <summary>How a job runs. Validated at start; a bad setting fails with a message that names it.</summary>
/// <param name="JobName">The stable job name: checkpoint paths and transaction ids derive from it.</param>
public sealed record JobOptions(string JobName)
{
    public CheckpointingOptions Checkpointing { get; init; } = new();

    /// <summary>The number of key groups; fixed for the life of a job's state.</summary>
    public int MaxParallelism { get; init; } = KeyGroups.DefaultMaxParallelism;

    /// <summary>A checkpoint or savepoint location to restore from; null restores the newest checkpoint or savepoint, if any.</summary>
    public string? RestoreFrom { get; init; }

    /// <summary>
    /// Start from nothing even if checkpoints, savepoints or committed epochs of the job exist (they are left alone;
    /// checkpoint ids continue after the highest one seen). Without it such a start is refused.
    /// </summary>
    public bool StartFresh { get; init; }

    /// <summary>
    /// Restore even if the checkpoint holds state of operators this job no longer has, or state an operator can no
    /// longer use (windows configured differently): that state is dropped.
    /// </summary>
    public bool AllowNonRestoredState { get; init; }

    /// <summary>Records per batch on a channel.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Batches a channel holds before its writer waits (backpressure).</summary>
    public int ChannelCapacity { get; init; } = 16;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(JobName))
        {
            throw new ArgumentException("JobName must not be empty: checkpoints and transaction ids are named after it.");
        }

        if (MaxParallelism < 1)
        {
            throw new ArgumentException($"MaxParallelism must be at least 1, was {MaxParallelism}.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"BatchSize must be at least 1, was {BatchSize}.");
        }

        if (ChannelCapacity < 1)
        {
            throw new ArgumentException($"ChannelCapacity must be at least 1, was {ChannelCapacity}.");
        }

        if (RestoreFrom is not null && string.IsNullOrWhiteSpace(RestoreFrom))
        {
            throw new ArgumentException("RestoreFrom must be a checkpoint or savepoint location, or null for the latest checkpoint.");
        }

        if (RestoreFrom is not null && StartFresh)
        {
            throw new ArgumentException("RestoreFrom and StartFresh exclude each other: restore a point, or start from nothing.");
        }

        Checkpointing.Validate();
    }
}
