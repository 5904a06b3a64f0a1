namespace Etl.Connectors.Kafka;

/// <summary>
/// The consumer configuration of a Kafka source (public so benchmarks and tools can use the same one):
/// throughput-oriented defaults (performance-notes 1),
/// the user's overrides, and the keys the source owns.
/// </summary>
public static class KafkaConsumerSettings
{
    /// <summary>Keys the user may not override: offsets are the checkpoint's business.</summary>
    public static IReadOnlyList<string> OwnedKeys { get; } =
        ["bootstrap.servers", "group.id", "enable.auto.commit", "enable.auto.offset.store", "auto.offset.reset"];

    /// <summary>The source option that stands for an owned key.</summary>
    public static string OptionFor(string ownedKey) => ownedKey switch
    {
        "bootstrap.servers" => "KafkaSourceOptions.BootstrapServers",
        "group.id" => "KafkaSourceOptions.GroupId",
        "auto.offset.reset" => "KafkaSourceOptions.OffsetOutOfRange",
        _ => "KafkaSourceOptions.CommitOffsetsOnCheckpoint",
    };

    /// <summary>Defaults the user may override through <see cref="KafkaSourceOptions.ConsumerConfig"/>.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // A pipeline reading a transactional producer's output must not see aborted or open transactions.
        ["isolation.level"] = "read_committed",
        // A large prefetch queue is what lets the .NET wrapper run near the C client's rate (PR #998).
        ["queued.min.messages"] = "1000000",
        ["queued.max.messages.kbytes"] = "262144",
        ["fetch.min.bytes"] = "65536",
        ["fetch.wait.max.ms"] = "100",
        ["enable.partition.eof"] = "false",
        ["allow.auto.create.topics"] = "false",
        ["socket.nagle.disable"] = "true",
        // librdkafka's own statistics (lag per partition, request errors) for KafkaClientMetrics; 0 turns them off.
        ["statistics.interval.ms"] = "5000",
    };

    /// <summary>The effective configuration: defaults, then overrides, then the owned keys.</summary>
    public static Dictionary<string, string> Build(KafkaSourceOptions options, bool needsTimestamp, bool needsTopicName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new Dictionary<string, string>(Defaults, StringComparer.Ordinal);
        foreach (var (key, value) in options.ConsumerConfig)
        {
            settings[key] = value;
        }

        settings["bootstrap.servers"] = options.BootstrapServers;
        settings["group.id"] = options.GroupId;
        // Offsets are never committed behind the checkpoint's back: only on checkpoint completion.
        settings["enable.auto.commit"] = "false";
        settings["enable.auto.offset.store"] = "false";
        // A position outside the log is never resolved silently by librdkafka: the source reports it and applies
        // KafkaSourceOptions.OffsetOutOfRange itself (fail, or accept the gap with a log line and a count).
        settings["auto.offset.reset"] = "error";
        if (!settings.ContainsKey("dotnet.consumer.consume.result.fields"))
        {
            // Every marshalled field costs a native call and an object per record; ask only for what is used.
            var fields = new List<string>();
            if (needsTimestamp)
            {
                fields.Add("timestamp");
            }

            if (needsTopicName)
            {
                fields.Add("topic");
            }

            settings["dotnet.consumer.consume.result.fields"] = fields.Count == 0 ? "none" : string.Join(',', fields);
        }

        return settings;
    }
}
