namespace Etl.Connectors.Postgres;

/// <summary>
/// PostgreSQL runs with <c>max_prepared_transactions = 0</c>, so the two-phase-commit sink cannot
/// PREPARE TRANSACTION. Fatal: retrying does not help; the server setting must change (restart required).
/// </summary>
public sealed class PreparedTransactionsDisabledException : InvalidOperationException
{
    public PreparedTransactionsDisabledException()
    {
    }

    public PreparedTransactionsDisabledException(string message)
        : base(message)
    {
    }

    public PreparedTransactionsDisabledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
