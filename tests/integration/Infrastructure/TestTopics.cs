using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Etl.Connectors.Kafka;
using Etl.DevServices.Kafka;

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>A fresh topic per test: through the mock's control endpoint, or CreateTopics on a real broker.</summary>
internal static class TestTopics
{
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(30);

    public static async Task<string> CreateAsync(int partitions, CancellationToken cancellationToken, string prefix = "test")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        if (TestServices.KafkaControl is { } control)
        {
            using var client = new MockKafkaControl(control);
            await client.CreateTopicAsync(name, partitions, replicationFactor: 1, cancellationToken);
            return name;
        }

        // The mock does not implement CreateTopics, a real broker (external or a container) does. CreateTopics
        // returns once the controller has the topic; wait until the metadata shows a leader for every partition,
        // so that a test's first produce or assign does not race the topic's creation.
        using var admin = CreateAdminClient();
        await admin.CreateTopicsAsync(
            [new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }],
            new CreateTopicsOptions { OperationTimeout = CreateTimeout, RequestTimeout = CreateTimeout });
        await Poll.UntilAsync(
            () => admin.GetMetadata(name, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Topic == name) is { Error.IsError: false } topic
                && topic.Partitions.Count == partitions
                && topic.Partitions.All(p => p.Leader >= 0),
            CreateTimeout,
            $"topic {name} to have a leader for each of its {partitions} partitions");
        return name;
    }

    public static IAdminClient CreateAdminClient()
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new AdminClientBuilder(new AdminClientConfig { BootstrapServers = TestServices.KafkaBootstrapServers }).Build();
    }

    public static TopicMetadata Metadata(IAdminClient admin, string topic)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return metadata.Topics.Single(t => t.Topic == topic);
    }
}
