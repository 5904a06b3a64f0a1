namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// A commit would make the storage hold more than its size cap. The checkpoint fails (nothing was stored);
/// raise the cap, lower retention, or use the file-system storage.
/// </summary>
public sealed class CheckpointStorageFullException : Exception
{
    public CheckpointStorageFullException()
    {
    }

    public CheckpointStorageFullException(string message) : base(message)
    {
    }

    public CheckpointStorageFullException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public CheckpointStorageFullException(string setting, long capInBytes, long requiredBytes)
        : base($"Checkpoint storage would hold {requiredBytes} bytes, more than {setting} = {capInBytes} bytes. " +
            $"The checkpoint was not stored; raise {setting}, lower the number of retained checkpoints, or use the file-system checkpoint storage.")
    {
        CapInBytes = capInBytes;
        RequiredBytes = requiredBytes;
    }

    /// <summary>The configured cap.</summary>
    public long CapInBytes { get; }

    /// <summary>What the storage would have held after the commit.</summary>
    public long RequiredBytes { get; }
}
