using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Etl.Connectors.Kafka;

/// <summary>Counters of the Kafka source on the "Etl" meter.</summary>
internal static class KafkaSourceMetrics
{
    public const string MeterName = "Etl";
    public const string OffsetCommitFailuresName = "etl.kafka.source.offset_commit_failures";
    public const string DeadLettersName = "etl.kafka.source.dead_letters";
    public const string OffsetResetsName = "etl.kafka.source.offset_resets";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<(string Topic, int Partition), long> Lag = new();

    static KafkaSourceMetrics() =>
        Meter.CreateObservableGauge("etl.kafka.consumer_lag", ObserveLag, "{record}",
            "Records in the partition after the offset of the last completed checkpoint (high watermark - committed offset).");

    /// <summary>Commits of checkpointed offsets to the consumer group that failed (tolerated: monitoring only).</summary>
    public static Counter<long> OffsetCommitFailures { get; } = Meter.CreateCounter<long>(
        OffsetCommitFailuresName, unit: "{commit}", description: "Failed commits of checkpointed offsets to the Kafka consumer group (lag monitoring only).");

    /// <summary>Positions outside a partition's log that the source skipped past (KafkaSourceOptions.OffsetOutOfRange allowed it).</summary>
    public static Counter<long> OffsetResets { get; } = Meter.CreateCounter<long>(
        OffsetResetsName, unit: "{reset}", description: "Out-of-range Kafka positions reset by KafkaSourceOptions.OffsetOutOfRange, each a gap or a re-read.");

    /// <summary>Records that could not be deserialised and went out as dead letters.</summary>
    public static Counter<long> DeadLetters { get; } = Meter.CreateCounter<long>(
        DeadLettersName, unit: "{record}", description: "Kafka records that failed deserialisation and became dead letters.");

    /// <summary>Sets the lag <see cref="LagMonitor"/> measured for one partition.</summary>
    public static void SetLag(string topic, int partition, long lag) => Lag[(topic, partition)] = lag;

    private static IEnumerable<Measurement<long>> ObserveLag() =>
        Lag.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("topic", l.Key.Topic), new KeyValuePair<string, object?>("partition", l.Key.Partition)));
}
