namespace Etl.Connectors.Postgres;

/// <summary>
/// A transaction the checkpoint says is pending is neither prepared nor committed (no commit marker): its
/// rows are lost. Fatal; never guessed around. Someone rolled it back by hand, or the database was restored
/// from a backup older than the checkpoint. Restore the job from an older checkpoint or savepoint that
/// predates the lost transaction, or accept the loss knowingly.
/// </summary>
public sealed class TransactionLostException : InvalidOperationException
{
    public TransactionLostException()
    {
    }

    public TransactionLostException(string message)
        : base(message)
    {
    }

    public TransactionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
