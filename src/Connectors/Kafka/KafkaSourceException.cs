namespace Etl.Connectors.Kafka;

/// <summary>
/// The Kafka source cannot run as configured: a missing topic, unreachable brokers, no authorization, or an
/// unreadable checkpoint. The message names the setting to look at; restarting without a change does not help.
/// </summary>
public class KafkaSourceException : Exception
{
    public KafkaSourceException()
    {
    }

    public KafkaSourceException(string message) : base(message)
    {
    }

    public KafkaSourceException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
