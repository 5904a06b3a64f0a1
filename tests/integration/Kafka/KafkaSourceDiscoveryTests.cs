using Confluent.Kafka.Admin;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Integration.Kafka.KafkaSourceTestKit;

namespace Etl.Tests.Integration.Kafka;

public sealed class KafkaSourceDiscoveryTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The mock cluster cannot grow a topic (rd_kafka_mock_topic_create on an existing topic answers
    /// TOPIC_ALREADY_EXISTS, and it has no CreatePartitions), so on it discovery is exercised with a topic
    /// that starts to match the pattern: the same metadata query, diff and incremental assignment.
    /// </summary>
    [Fact]
    public async Task Source_TopicMatchingPatternCreatedWhileRunning_IsConsumedFromTheStart()
    {
        var ct = TestDeadline.Token();
        var prefix = $"src-pattern-{Guid.NewGuid():N}";
        var first = await TestTopics.CreateAsync(1, ct, prefix);
        await ProduceAsync(first, 0, ["first-0"], ct);
        var options = Options(first) with { Topics = [], TopicPattern = $"{prefix}-.*", PartitionDiscoveryInterval = Interval };
        var output = new ListCollector<string>();
        await using var source = await OpenAsync(options, Context(), ct);
        await PollUntilAsync(source, output, () => output.Records.Count >= 1, "the record of the first topic", ct);

        var second = await TestTopics.CreateAsync(2, ct, prefix);
        await ProduceAsync(second, 0, ["second-0"], ct);
        await ProduceAsync(second, 1, ["second-1"], ct);
        await PollUntilAsync(source, output, () => output.Records.Count >= 3, "the records of the topic created later", ct);
        await PollQuietlyAsync(source, output, ct);

        Assert.Equal(["first-0", "second-0", "second-1"], output.Values.Order());
        Assert.Contains(source.Positions, p => p.Topic == second && p.Partition == 1 && p.NextOffset == 1);
    }

    [RealKafkaFact]
    public async Task Source_PartitionAddedWhileRunning_IsConsumedFromTheStart()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(1, ct, "src-grow");
        await ProduceAsync(topic, 0, ["p0"], ct);
        var output = new ListCollector<string>();
        await using var source = await OpenAsync(Options(topic) with { PartitionDiscoveryInterval = Interval }, Context(), ct);
        await PollUntilAsync(source, output, () => output.Records.Count >= 1, "the record of partition 0", ct);

        using (var admin = TestTopics.CreateAdminClient())
        {
            await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 2 }]);
        }

        await ProduceAsync(topic, 1, ["p1-0", "p1-1"], ct);
        await PollUntilAsync(source, output, () => output.Records.Count >= 3, "the records of the added partition", ct);
        await PollQuietlyAsync(source, output, ct);

        Assert.Equal(["p0", "p1-0", "p1-1"], output.Values);
    }
}
