namespace Etl.DevServices.Kafka;

/// <summary>A mock-cluster call failed; the message carries librdkafka's error name and text.</summary>
public sealed class MockKafkaException : Exception
{
    public MockKafkaException()
    {
    }

    public MockKafkaException(string message)
        : base(message)
    {
    }

    public MockKafkaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
