namespace Etl.TwoPhaseCommit;

/// <summary>
/// The sink's open transaction failed (a write or its pre-commit threw): what was written to it since the last
/// barrier is gone, so the sink refuses every later write, barrier and notification. Retriable: the job must
/// restart from its last completed checkpoint, which replays the lost input into a new transaction.
/// </summary>
public sealed class TransactionFailedException : Exception
{
    public TransactionFailedException()
    {
    }

    public TransactionFailedException(string message)
        : base(message)
    {
    }

    public TransactionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
