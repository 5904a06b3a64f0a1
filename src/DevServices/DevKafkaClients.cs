using System.Globalization;
using Confluent.Kafka;
using Etl.Connectors.Kafka;

namespace Etl.DevServices;

/// <summary><c>etl dev produce</c> / <c>etl dev consume</c>: small Kafka clients for tests and smoke checks.</summary>
internal static class DevKafkaClients
{
    /// <summary>KAFKA_BOOTSTRAP_SERVERS from the environment, else from .local/services.env.</summary>
    public static string ResolveBootstrapServers(string? option)
    {
        if (!string.IsNullOrEmpty(option))
        {
            return option;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(ServicesFile.KafkaBootstrapServers);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        return ServicesFile.ReadOrEmpty(RepoLayout.ServicesFilePath).GetValueOrDefault(ServicesFile.KafkaBootstrapServers)
            ?? throw new InvalidOperationException("No Kafka: pass --bootstrap-servers, set KAFKA_BOOTSTRAP_SERVERS, or run `etl dev up`.");
    }

    /// <summary>Produces records key i, value "{prefix}-{i}" for i in [0, count) and waits for every delivery.</summary>
    public static async Task<int> ProduceAsync(string bootstrapServers, string topic, IEnumerable<string> values, CancellationToken cancellationToken)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, MessageTimeoutMs = 30_000 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        var count = 0;
        foreach (var value in values)
        {
            var key = count.ToString(CultureInfo.InvariantCulture);
            await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = value }, cancellationToken);
            count++;
        }

        await Console.Out.WriteLineAsync($"produced {count} records to {topic}");
        return 0;
    }

    /// <summary>
    /// Reads <paramref name="count"/> records from the start of the topic in consumer group
    /// <paramref name="group"/>, prints one value per line, commits offsets; exit code 1 on timeout.
    /// </summary>
    public static async Task<int> ConsumeAsync(
        string bootstrapServers, string topic, string group, int count, TimeSpan timeout, bool assign, CancellationToken cancellationToken)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            // The mock coordinator holds a rebalance until a departed member's session expires (LeaveGroup does
            // not shorten it): a short session keeps the next consumer of the group from waiting 45 s.
            SessionTimeoutMs = 6_000,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        if (assign)
        {
            using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            var partitions = admin.GetMetadata(topic, timeout).Topics.SingleOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)?.Partitions
                ?? throw new InvalidOperationException($"Topic {topic} has no metadata at {bootstrapServers}.");
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        }
        else
        {
            consumer.Subscribe(topic);
        }

        var deadline = DateTime.UtcNow + timeout;
        var received = 0;
        while (received < count && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            // Consume blocks the calling thread; keep each call short so the deadline and cancellation are honoured.
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            await Console.Out.WriteLineAsync(result.Message.Value);
            if (!assign)
            {
                consumer.Commit(result);
            }

            received++;
        }

        consumer.Close();
        if (received < count)
        {
            await Console.Error.WriteLineAsync($"consumed only {received} of {count} records from {topic} within {timeout.TotalSeconds} s");
            return 1;
        }

        return 0;
    }
}
