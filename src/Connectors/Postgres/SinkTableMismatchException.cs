namespace Etl.Connectors.Postgres;

/// <summary>
/// The target table does not fit the sink's mapping (upsert mode without a usable unique index on the key columns).
/// Fatal: retrying does not help; the table or the mapping must change.
/// </summary>
public sealed class SinkTableMismatchException : InvalidOperationException
{
    public SinkTableMismatchException()
    {
    }

    public SinkTableMismatchException(string message)
        : base(message)
    {
    }

    public SinkTableMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
