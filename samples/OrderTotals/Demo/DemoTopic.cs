using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Etl.Connectors.Kafka;
using Etl.DevServices.Kafka;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>Creates a topic: through the mock cluster's control endpoint (ETL_KAFKA_CONTROL) when there is one, else CreateTopics.</summary>
internal static class DemoTopic
{
    public static async Task CreateAsync(string bootstrapServers, string topic, int partitions, CancellationToken cancellationToken)
    {
        var control = Environment.GetEnvironmentVariable("ETL_KAFKA_CONTROL");
        if (!string.IsNullOrEmpty(control))
        {
            // The mock does not implement CreateTopics.
            using var client = new MockKafkaControl(new Uri(control));
            await client.CreateTopicAsync(topic, partitions, replicationFactor: 1, cancellationToken);
            return;
        }

        KafkaNativeLibrary.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        try
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Already there: the demo reuses it.
        }
    }
}
