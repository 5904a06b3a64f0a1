using System.Diagnostics.Metrics;

namespace Etl.Connectors.Kafka;

/// <summary>Counters of the Kafka source on the "Etl" meter.</summary>
internal static class KafkaSourceMetrics
{
    public const string MeterName = "Etl";
    public const string OffsetCommitFailuresName = "etl.kafka.source.offset_commit_failures";
    public const string DeadLettersName = "etl.kafka.source.dead_letters";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Commits of checkpointed offsets to the consumer group that failed (tolerated: monitoring only).</summary>
    public static Counter<long> OffsetCommitFailures { get; } = Meter.CreateCounter<long>(
        OffsetCommitFailuresName, unit: "{commit}", description: "Failed commits of checkpointed offsets to the Kafka consumer group (lag monitoring only).");

    /// <summary>Records that could not be deserialised and went out as dead letters.</summary>
    public static Counter<long> DeadLetters { get; } = Meter.CreateCounter<long>(
        DeadLettersName, unit: "{record}", description: "Kafka records that failed deserialisation and became dead letters.");
}
