namespace Etl.TwoPhaseCommit;

/// <summary>
/// A pre-committed transaction did not commit. Fatal for the job: it restarts from its last completed
/// checkpoint, whose restore path commits the transaction again (commits are idempotent). If the restore
/// path fails too, the transaction is lost and an operator must look at the external system.
/// </summary>
public sealed class TransactionCommitException : Exception
{
    public TransactionCommitException()
    {
    }

    public TransactionCommitException(string message)
        : base(message)
    {
    }

    public TransactionCommitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
