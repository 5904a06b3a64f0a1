using Confluent.Kafka;
using Etl.Connectors.Kafka;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Foundation;

public sealed class TransactionalProducerTests
{
    [Fact]
    public async Task CommittedTransaction_IsReadByAReadCommittedConsumer()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(partitions: 1, ct);
        var bootstrap = TestServices.KafkaBootstrapServers;
        KafkaNativeLibrary.EnsureLoaded();

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, TransactionalId = topic }).Build())
        {
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            producer.BeginTransaction();
            for (var i = 0; i < 3; i++)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = $"tx-{i}" }, ct);
            }

            producer.CommitTransaction(TimeSpan.FromSeconds(30));
        }

        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = topic,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var values = new List<string>();
        await Poll.UntilAsync(
            () =>
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
                {
                    values.Add(result.Message.Value);
                }

                return values.Count == 3;
            },
            TimeSpan.FromSeconds(30),
            "three committed transactional records");
        consumer.Close();

        Assert.Equal(["tx-0", "tx-1", "tx-2"], values);
    }
}
