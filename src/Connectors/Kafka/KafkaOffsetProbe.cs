using Confluent.Kafka;

namespace Etl.Connectors.Kafka;

/// <summary>
/// A small Kafka client for offsets only (never consumes, never joins the group): the partitions of a
/// topic, their high watermarks, and the group's committed offsets. Calls block up to the timeout; call
/// them off the runtime's threads.
/// </summary>
public sealed class KafkaOffsetProbe : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly IConsumer<Ignore, Ignore> _consumer;
    private readonly IAdminClient _admin;

    /// <param name="bootstrapServers">The brokers.</param>
    /// <param name="groupId">The consumer group whose committed offsets <see cref="Committed"/> reads.</param>
    /// <param name="consumerConfig">Extra librdkafka consumer properties (security, timeouts).</param>
    public KafkaOffsetProbe(string bootstrapServers, string groupId, IReadOnlyDictionary<string, string> consumerConfig)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig(consumerConfig.ToDictionary(c => c.Key, c => c.Value))
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            AllowAutoCreateTopics = false,
        };
        _consumer = new ConsumerBuilder<Ignore, Ignore>(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        _admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
    }

    /// <summary>The topic's partitions; empty when the topic does not exist (yet).</summary>
    public IReadOnlyList<TopicPartition> Partitions(string topic)
    {
        // The all-topics request: naming the topic would auto-create it on brokers that allow that.
        var metadata = _admin.GetMetadata(Timeout);
        return [.. metadata.Topics.Where(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)))
            .OrderBy(p => p.Partition.Value)];
    }

    /// <summary>The offset after the last record of the partition.</summary>
    public long HighWatermark(TopicPartition partition) => _consumer.QueryWatermarkOffsets(partition, Timeout).High.Value;

    /// <summary>The group's committed offsets (negative when none).</summary>
    public IReadOnlyList<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions) => _consumer.Committed(partitions, Timeout);

    public void Dispose()
    {
        _admin.Dispose();
        _consumer.Dispose();
    }
}
