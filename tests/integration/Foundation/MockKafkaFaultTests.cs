using Confluent.Kafka;
using Etl.Connectors.Kafka;
using Etl.DevServices.Kafka;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Foundation;

[Collection(MockFaultInjection.Name)]
public sealed class MockKafkaFaultTests
{
    private const short ProduceApiKey = MockKafkaRequest.Produce;

    [MockKafkaFact]
    public async Task Produce_WhileThePartitionLeaderIsDown_FailsAndRecoversWhenTheBrokerComesBack()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(partitions: 1, ct);
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        using var admin = TestTopics.CreateAdminClient();
        var leader = TestTopics.Metadata(admin, topic).Partitions.Single().Leader;
        using var producer = CreateProducer(messageTimeoutMs: 2_000);

        await control.SetBrokerDownAsync(leader, ct);
        try
        {
            var failure = await Assert.ThrowsAsync<ProduceException<string, string>>(
                () => producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "while down" }, ct));
            Assert.Equal(ErrorCode.Local_MsgTimedOut, failure.Error.Code);
        }
        finally
        {
            await control.SetBrokerUpAsync(leader, ct);
        }

        DeliveryResult<string, string>? delivered = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    delivered = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "after up" }, ct);
                    return true;
                }
                catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_MsgTimedOut)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            $"a produce to {topic} to succeed after broker {leader} came back");
        Assert.Equal(PersistenceStatus.Persisted, delivered!.Status);
    }

    [MockKafkaFact]
    public async Task InjectedProduceError_FailsTheProduce_AndClearingItRestoresService()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(partitions: 1, ct);
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        using var producer = CreateProducer(messageTimeoutMs: 10_000);
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "warm-up" }, ct);

        // 10 = MESSAGE_TOO_LARGE: not retriable, so the very next produce fails with it.
        await control.PushRequestErrorsAsync(ProduceApiKey, [10, 10, 10], ct);
        try
        {
            var failure = await Assert.ThrowsAsync<ProduceException<string, string>>(
                () => producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "rejected" }, ct));
            Assert.Equal(ErrorCode.MsgSizeTooLarge, failure.Error.Code);
        }
        finally
        {
            await control.ClearRequestErrorsAsync(ProduceApiKey, ct);
        }

        var delivered = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "accepted" }, ct);
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [MockKafkaFact]
    public async Task ControlEndpoint_ReportsTheBootstrapServersTheTestsUse()
    {
        using var control = new MockKafkaControl(TestServices.KafkaControl!);

        var health = await control.GetHealthAsync(TestDeadline.Token());

        Assert.Equal(TestServices.KafkaBootstrapServers, health.BootstrapServers);
        Assert.Equal(health.BrokerCount, health.BootstrapServers.Split(',').Length);
    }

    private static IProducer<string, string> CreateProducer(int messageTimeoutMs)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ProducerConfig
        {
            BootstrapServers = TestServices.KafkaBootstrapServers,
            MessageTimeoutMs = messageTimeoutMs,
            // Without idempotence a non-retriable error reaches the caller as is.
            EnableIdempotence = false,
            Acks = Acks.All,
        };
        return new ProducerBuilder<string, string>(config).Build();
    }
}
