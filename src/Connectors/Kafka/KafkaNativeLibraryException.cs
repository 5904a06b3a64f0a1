namespace Etl.Connectors.Kafka;

/// <summary>The chosen librdkafka could not be loaded, or is not the version it must be. Fatal: fix the installation or the choice.</summary>
public sealed class KafkaNativeLibraryException : Exception
{
    public KafkaNativeLibraryException(string message)
        : base(message)
    {
    }

    public KafkaNativeLibraryException()
    {
    }

    public KafkaNativeLibraryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
