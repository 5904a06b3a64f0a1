namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>An error of the <see cref="ExternalSystem"/> model, with PostgreSQL's SQLSTATE.</summary>
public sealed class ExternalSqlException : Exception
{
    public ExternalSqlException(string sqlState, string message)
        : base($"{sqlState}: {message}") => SqlState = sqlState;

    public ExternalSqlException()
    {
    }

    public ExternalSqlException(string message)
        : base(message)
    {
    }

    public ExternalSqlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string SqlState { get; } = "";
}
