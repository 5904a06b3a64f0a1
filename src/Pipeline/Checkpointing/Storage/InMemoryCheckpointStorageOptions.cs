namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>Settings of <see cref="InMemoryCheckpointStorage"/>.</summary>
/// <param name="MaxSizeInBytes">
/// The most state bytes the storage may hold over all jobs (retained checkpoints and savepoints). A commit that
/// would exceed it fails with <see cref="CheckpointStorageFullException"/> and stores nothing.
/// </param>
/// <param name="NumRetained">How many completed checkpoints per job to keep (Flink's <c>state.checkpoints.num-retained</c>).</param>
/// <param name="Retention">Whether cancelling a job deletes its checkpoints.</param>
public sealed record InMemoryCheckpointStorageOptions(
    long MaxSizeInBytes = InMemoryCheckpointStorageOptions.DefaultMaxSizeInBytes,
    int NumRetained = CheckpointStorageOptions.DefaultNumRetained,
    CheckpointRetention Retention = CheckpointRetention.RetainOnCancellation)
{
    public const long DefaultMaxSizeInBytes = 64L * 1024 * 1024;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (MaxSizeInBytes <= 0)
        {
            throw new ArgumentException(
                $"{nameof(InMemoryCheckpointStorageOptions)}.{nameof(MaxSizeInBytes)} must be positive, was {MaxSizeInBytes}.",
                nameof(MaxSizeInBytes));
        }

        CheckpointRetentionRules.Validate(nameof(InMemoryCheckpointStorageOptions), NumRetained, Retention);
    }
}
