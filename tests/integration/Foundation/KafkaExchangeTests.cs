using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Foundation;

public sealed class KafkaExchangeTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RecordsProducedInOneProcess_AreConsumedInAnother_WhileTheBrokerOutlivesBoth()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(partitions: 3, ct);
        var bootstrap = TestServices.KafkaBootstrapServers;

        await using (var producer = EtlProcess.Start(["dev", "produce", "--bootstrap-servers", bootstrap, "--topic", topic, "--count", "20", "--prefix", "order"]))
        {
            Assert.True(await producer.WaitForExitAsync(ProcessTimeout) == 0, producer.ErrorText);
        }

        await using var consumer = EtlProcess.Start(["dev", "consume", "--bootstrap-servers", bootstrap, "--topic", topic, "--count", "20", "--group", topic]);
        Assert.True(await consumer.WaitForExitAsync(ProcessTimeout) == 0, consumer.ErrorText);

        var expected = Enumerable.Range(0, 20).Select(i => $"order-{i}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, consumer.OutputLines.Order(StringComparer.Ordinal));

        // Both clients are gone; the broker still serves the topic and its data.
        using var admin = TestTopics.CreateAdminClient();
        Assert.Equal(3, TestTopics.Metadata(admin, topic).Partitions.Count);
    }

    [Fact]
    public async Task ConsumerGroup_ResumesFromCommittedOffsets_InANewProcess()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(partitions: 1, ct);
        var bootstrap = TestServices.KafkaBootstrapServers;
        string[] consume = ["dev", "consume", "--bootstrap-servers", bootstrap, "--topic", topic, "--group", topic, "--count", "5"];

        await using (var producer = EtlProcess.Start(["dev", "produce", "--bootstrap-servers", bootstrap, "--topic", topic, "--count", "10"]))
        {
            Assert.True(await producer.WaitForExitAsync(ProcessTimeout) == 0, producer.ErrorText);
        }

        await using var first = EtlProcess.Start(consume);
        Assert.True(await first.WaitForExitAsync(ProcessTimeout) == 0, first.ErrorText);
        await using var second = EtlProcess.Start(consume);
        Assert.True(await second.WaitForExitAsync(ProcessTimeout) == 0, second.ErrorText);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"record-{i}"), first.OutputLines);
        Assert.Equal(Enumerable.Range(5, 5).Select(i => $"record-{i}"), second.OutputLines);
    }

    [Fact]
    public async Task CreatedTopic_HasTheRequestedPartitionCount()
    {
        var topic = await TestTopics.CreateAsync(partitions: 6, TestDeadline.Token());

        using var admin = TestTopics.CreateAdminClient();
        var metadata = TestTopics.Metadata(admin, topic);

        Assert.Equal(6, metadata.Partitions.Count);
        Assert.Equal(Enumerable.Range(0, 6), metadata.Partitions.Select(p => p.PartitionId).Order());
    }
}
