namespace Etl.Connectors.Kafka;

/// <summary>
/// A record's event time is too far ahead of the wall clock (<see cref="KafkaWatermarkOptions.MaxEventTimeAhead"/>).
/// Not an error of the job: the source makes the record a dead letter with reason
/// <see cref="Etl.Pipeline.DeadLetterReasons.EventTimeAhead"/> and reads on.
/// </summary>
public sealed class EventTimeAheadException : FormatException
{
    public EventTimeAheadException()
    {
    }

    public EventTimeAheadException(string message)
        : base(message)
    {
    }

    public EventTimeAheadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
