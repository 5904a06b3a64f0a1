namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// A completed checkpoint or savepoint cannot be trusted: its <c>_metadata</c> or a state file is truncated,
/// altered or missing. Restore from another checkpoint (see <see cref="ICheckpointStorage.ListAsync"/>).
/// </summary>
public sealed class CorruptCheckpointException : Exception
{
    public CorruptCheckpointException()
    {
    }

    public CorruptCheckpointException(string message) : base(message)
    {
    }

    public CorruptCheckpointException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public CorruptCheckpointException(string location, string reason, Exception? innerException = null)
        : base($"Checkpoint at '{location}' is corrupt: {reason}. Restore from another retained checkpoint or savepoint.", innerException)
    {
        Location = location;
        Reason = reason;
    }

    /// <summary>The checkpoint directory.</summary>
    public string? Location { get; }

    /// <summary>What is wrong with it.</summary>
    public string? Reason { get; }
}
