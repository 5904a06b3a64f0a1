namespace Etl.Connectors.Postgres;

/// <summary>
/// Another live instance already owns this sink subtask (it holds the subtask's advisory lock). Fatal for
/// this instance: stop the other worker, or give this job a different name or sink uid.
/// </summary>
public sealed class SinkInstanceConflictException : InvalidOperationException
{
    public SinkInstanceConflictException()
    {
    }

    public SinkInstanceConflictException(string message)
        : base(message)
    {
    }

    public SinkInstanceConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
