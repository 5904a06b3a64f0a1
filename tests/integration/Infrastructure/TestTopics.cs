using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Etl.Connectors.Kafka;
using Etl.Connectors.Kafka.Mock;

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>A fresh topic per test: through the mock's control endpoint, or CreateTopics on a real broker.</summary>
internal static class TestTopics
{
    public static async Task<string> CreateAsync(int partitions, CancellationToken cancellationToken, string prefix = "test")
    {
        var services = LocalServices.Current;
        var name = $"{prefix}-{Guid.NewGuid():N}";
        if (services.KafkaControl is { } control)
        {
            using var client = new MockKafkaControl(control);
            await client.CreateTopicAsync(name, partitions, replicationFactor: 1, cancellationToken);
        }
        else
        {
            // The mock does not implement CreateTopics, a real broker does.
            using var admin = CreateAdminClient();
            await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }]);
        }

        return name;
    }

    public static IAdminClient CreateAdminClient()
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new AdminClientBuilder(new AdminClientConfig { BootstrapServers = LocalServices.Current.KafkaBootstrapServers }).Build();
    }

    public static TopicMetadata Metadata(IAdminClient admin, string topic)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return metadata.Topics.Single(t => t.Topic == topic);
    }
}
