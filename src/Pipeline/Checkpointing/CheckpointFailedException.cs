namespace Etl.Pipeline.Checkpointing;

/// <summary>A checkpoint or savepoint did not complete. Triggering again is safe.</summary>
public sealed class CheckpointFailedException : Exception
{
    public CheckpointFailedException(CheckpointId checkpointId, CheckpointFailureReason reason, string message, Exception? innerException = null)
        : base($"Checkpoint {checkpointId} failed ({reason}): {message}", innerException)
    {
        CheckpointId = checkpointId;
        Reason = reason;
    }

    public CheckpointFailedException()
    {
    }

    public CheckpointFailedException(string message) : base(message)
    {
    }

    public CheckpointFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public CheckpointId CheckpointId { get; }

    public CheckpointFailureReason Reason { get; }
}
