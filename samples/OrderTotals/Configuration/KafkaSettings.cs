using Etl.Connectors.Kafka;

namespace Etl.Samples.OrderTotals.Configuration;

/// <summary>Etl:Kafka.</summary>
internal sealed record KafkaSettings
{
    public string BootstrapServers { get; init; } = "";

    public string Topic { get; init; } = "orders";

    /// <summary>Consumer group for lag monitoring; empty = the job name.</summary>
    public string GroupId { get; init; } = "";

    /// <summary>Which librdkafka to load (Etl:Kafka:NativeLibrary): the bundled build, the system's, or a file.</summary>
    public KafkaNativeLibraryChoice NativeLibrary { get; init; } = KafkaNativeLibraryChoice.Bundled;

    /// <summary>A position outside a partition's log: fail (default), or accept the gap (Etl:Kafka:OffsetOutOfRange).</summary>
    public KafkaOffsetOutOfRange OffsetOutOfRange { get; init; } = KafkaOffsetOutOfRange.Fail;

    /// <summary>Extra librdkafka consumer properties (Etl:Kafka:Consumer:KEY).</summary>
    public IReadOnlyDictionary<string, string> Consumer { get; init; } = new Dictionary<string, string>();
}
