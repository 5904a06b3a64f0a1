using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Etl.Worker.Job;

/// <summary>The worker's own instruments on the "Etl" meter (the runtime, windows and Kafka source add theirs).</summary>
internal static class WorkerMetrics
{
    private static readonly Meter Meter = new("Etl");
    private static readonly ConcurrentDictionary<(string Topic, int Partition), long> Lag = new();

    public static Counter<long> DeadLetters { get; } = Meter.CreateCounter<long>(
        "etl.sink.dead_letters", "{record}", "Dead letters written to the dead-letter table, by reason (deserialization, late).");

    public static Histogram<double> CommitDuration { get; } = Meter.CreateHistogram<double>(
        "etl.sink.commit.duration", "ms", "Time the sink took to commit a completed checkpoint's transactions (COMMIT PREPARED).");

    public static Histogram<double> PrepareDuration { get; } = Meter.CreateHistogram<double>(
        "etl.sink.prepare.duration", "ms", "Time the sink took to flush and prepare its transaction at a barrier.");

    static WorkerMetrics() =>
        Meter.CreateObservableGauge("etl.kafka.consumer_lag", ObserveLag, "{record}",
            "Records in the partition after the offset of the last completed checkpoint (high watermark - committed offset).");

    public static void SetLag(string topic, int partition, long lag) => Lag[(topic, partition)] = lag;

    private static IEnumerable<Measurement<long>> ObserveLag() =>
        Lag.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("topic", l.Key.Topic), new KeyValuePair<string, object?>("partition", l.Key.Partition)));
}
