namespace Etl.Pipeline;

/// <summary>A dead letter reached a sink that cannot store it. Fatal: dead letters are never dropped.</summary>
public sealed class DeadLetterNotSupportedException : InvalidOperationException
{
    public DeadLetterNotSupportedException(string sinkType, DeadLetter deadLetter)
        : base($"Sink '{sinkType}' received a dead letter (reason '{deadLetter.Reason}': {deadLetter.Error}) but does not store dead letters. " +
               "Use a sink that implements WriteDeadLetterAsync (the PostgreSQL sink writes them to its dead-letter table).")
    {
    }

    public DeadLetterNotSupportedException()
    {
    }

    public DeadLetterNotSupportedException(string message) : base(message)
    {
    }

    public DeadLetterNotSupportedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
