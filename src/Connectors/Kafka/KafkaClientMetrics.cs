using System.Diagnostics.Metrics;
using System.Text.Json;

namespace Etl.Connectors.Kafka;

/// <summary>
/// The Kafka clients' own statistics on the "Etl" meter, from librdkafka's statistics reports
/// (<c>statistics.interval.ms</c>, set by <see cref="KafkaConsumerSettings.Defaults"/>):
/// <c>etl.kafka.client.consumer_lag</c> per topic and partition, and <c>etl.kafka.client.request_errors</c>
/// per client type, broker and error (transmit, receive, timeout): a consumer's are its fetch (and metadata,
/// offset) requests, a producer's its produce requests.
/// </summary>
internal static class KafkaClientMetrics
{
    public const string ConsumerLagName = "etl.kafka.client.consumer_lag";
    public const string RequestErrorsName = "etl.kafka.client.request_errors";

    private static readonly Meter Meter = new(KafkaSourceMetrics.MeterName);
    private static readonly KafkaClientReports Reports = new(TimeProvider.System);

    private static readonly Counter<long> RequestErrors = Meter.CreateCounter<long>(
        RequestErrorsName, "{error}", "Failed requests of the Kafka clients, by client type, broker and error (transmit, receive, timeout), from librdkafka's statistics.");

    static KafkaClientMetrics() =>
        Meter.CreateObservableGauge(ConsumerLagName, ObserveLag, "{record}",
            "Records between the consumer's position and the end of the partition (high watermark, or last stable offset for read_committed), from librdkafka's statistics.");

    /// <summary>A client's statistics handler (<c>SetStatisticsHandler((_, json) =&gt; KafkaClientMetrics.Record(json))</c>).</summary>
    public static void Record(string json)
    {
        KafkaClientStatistics report;
        try
        {
            report = KafkaClientStatistics.Parse(json);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            // Monitoring only: a report that cannot be read must never fail the client that emitted it.
            return;
        }

        foreach (var increase in Reports.Add(report))
        {
            RequestErrors.Add(
                increase.Count, new KeyValuePair<string, object?>("client", report.ClientType), new KeyValuePair<string, object?>("broker", increase.Broker),
                new KeyValuePair<string, object?>("error", increase.Error));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveLag() =>
        Reports.Lags().Select(l => new Measurement<long>(
            l.Lag, new KeyValuePair<string, object?>("topic", l.Topic), new KeyValuePair<string, object?>("partition", l.Partition)));
}
