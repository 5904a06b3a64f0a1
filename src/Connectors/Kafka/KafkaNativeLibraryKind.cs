namespace Etl.Connectors.Kafka;

/// <summary>Where <see cref="KafkaNativeLibrary"/> loads librdkafka from.</summary>
public enum KafkaNativeLibraryKind
{
    /// <summary>The build shipped by the librdkafka.redist package, checked to be its version.</summary>
    Bundled,

    /// <summary>The machine's librdkafka.so.1 (for example Debian's librdkafka1), any version.</summary>
    System,

    /// <summary>A librdkafka shared library at a given absolute path, any version.</summary>
    File,
}
