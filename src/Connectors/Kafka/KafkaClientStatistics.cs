using System.Globalization;
using System.Text.Json;

namespace Etl.Connectors.Kafka;

/// <summary>
/// What operators watch in one librdkafka statistics report (the JSON a client emits every
/// <c>statistics.interval.ms</c>; librdkafka's STATISTICS.md has every field): the consumer lag of each
/// partition the client fetches, and the error totals of each broker connection. The totals count from the
/// client's start, so two reports of one client differ by what happened between them.
/// </summary>
/// <param name="ClientName">librdkafka's instance name (<c>rdkafka#consumer-3</c>), unique in the process.</param>
/// <param name="ClientType"><c>consumer</c> or <c>producer</c>.</param>
internal sealed record KafkaClientStatistics(
    string ClientName, string ClientType, IReadOnlyList<KafkaClientStatistics.PartitionLag> Lags, IReadOnlyList<KafkaClientStatistics.BrokerErrors> Brokers)
{
    /// <summary>Reads a report; throws <see cref="JsonException"/> or <see cref="FormatException"/> when it is not one.</summary>
    public static KafkaClientStatistics Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || String(root, "name") is not { } name)
        {
            throw new FormatException("Not a librdkafka statistics report: no top-level \"name\".");
        }

        return new KafkaClientStatistics(name, String(root, "type") ?? "unknown", ReadLags(root), ReadBrokers(root));
    }

    private static List<PartitionLag> ReadLags(JsonElement root)
    {
        var lags = new List<PartitionLag>();
        if (!root.TryGetProperty("topics", out var topics) || topics.ValueKind != JsonValueKind.Object)
        {
            return lags;
        }

        foreach (var topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out var partitions) || partitions.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var entry in partitions.EnumerateObject())
            {
                var partition = entry.Value;
                var id = Int64(partition, "partition") ?? long.Parse(entry.Name, CultureInfo.InvariantCulture);
                // Partition -1 is librdkafka's internal "unassigned" queue; a lag of -1 means not known yet
                // (no high watermark, or no position: a partition this client does not fetch).
                if (id < 0 || Int64(partition, "consumer_lag") is not (>= 0 and var lag))
                {
                    continue;
                }

                lags.Add(new PartitionLag(String(topic.Value, "topic") ?? topic.Name, (int)id, lag));
            }
        }

        return lags;
    }

    private static List<BrokerErrors> ReadBrokers(JsonElement root)
    {
        var brokers = new List<BrokerErrors>();
        if (!root.TryGetProperty("brokers", out var all) || all.ValueKind != JsonValueKind.Object)
        {
            return brokers;
        }

        foreach (var entry in all.EnumerateObject())
        {
            var broker = entry.Value;
            // The internal broker handle only serves local queues: it never talks to Kafka.
            if (String(broker, "source") == "internal")
            {
                continue;
            }

            brokers.Add(new BrokerErrors(
                String(broker, "name") ?? entry.Name, Int64(broker, "txerrs") ?? 0, Int64(broker, "rxerrs") ?? 0, Int64(broker, "req_timeouts") ?? 0));
        }

        return brokers;
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Int64(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    /// <summary>librdkafka's <c>consumer_lag</c>: the partition's end (high watermark, or last stable offset for read_committed) minus the client's position.</summary>
    internal sealed record PartitionLag(string Topic, int Partition, long Lag);

    /// <summary>A broker connection's totals: requests that failed to send (<c>txerrs</c>), responses that failed (<c>rxerrs</c>), requests that timed out (<c>req_timeouts</c>).</summary>
    internal sealed record BrokerErrors(string Broker, long TransmitErrors, long ReceiveErrors, long RequestTimeouts);
}
