using Etl.Pipeline.Checkpointing;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// Stop-with-savepoint wrote its savepoint durably, but committing its side effects failed on some subtask. The
/// savepoint is the job's newest restore point: the next start (plain or with <see cref="JobOptions.RestoreFrom"/>
/// set to <see cref="Savepoint"/>) restores it and commits what is still pending, so nothing is replayed over the
/// part that did commit. The job does not restart by itself, because it was asked to stop.
/// </summary>
public sealed class StopWithSavepointIncompleteException : InvalidOperationException
{
    public StopWithSavepointIncompleteException(CheckpointHandle savepoint, Exception innerException)
        : base(
            $"Job '{savepoint?.JobName}': savepoint {savepoint?.Id} at {savepoint?.Location} is durable, but committing it failed: " +
            $"{innerException?.Message} Start the job again: it restores this savepoint and commits what is left.",
            innerException)
    {
        ArgumentNullException.ThrowIfNull(savepoint);
        Savepoint = savepoint;
    }

    public StopWithSavepointIncompleteException()
    {
        Savepoint = null!;
    }

    public StopWithSavepointIncompleteException(string message)
        : base(message)
    {
        Savepoint = null!;
    }

    public StopWithSavepointIncompleteException(string message, Exception innerException)
        : base(message, innerException)
    {
        Savepoint = null!;
    }

    /// <summary>The durable savepoint that the next start restores.</summary>
    public CheckpointHandle Savepoint { get; }
}
