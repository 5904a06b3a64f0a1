using System.Diagnostics;
using Etl.Connectors.Kafka;
using Etl.DevServices.Kafka;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Tests.Integration.Foundation;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Integration.Kafka.KafkaSourceTestKit;

namespace Etl.Tests.Integration.Kafka;

/// <summary>
/// The Kafka source under the cluster events librdkafka 2.16's mock can stage: leadership moving, slow brokers,
/// a topic deleted and recreated, and the requests the client really sent. Cluster-wide, so they run alone.
/// </summary>
[Collection(MockFaultInjection.Name)]
public sealed class KafkaSourceMockClusterTests
{
    [MockKafkaFact]
    public async Task Source_CommitsOffsetsToTheGroupOnlyAfterTheCheckpointCompletes()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(1, ct, "src-commit-order");
        var group = $"group-{Guid.NewGuid():N}";
        await ProduceAsync(topic, 0, Values(0, 20), ct);
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        await control.TrackRequestsAsync(on: true, ct);
        try
        {
            var output = new ListCollector<string>();
            await using var source = await OpenAsync(Options(topic, group), Context(), ct);
            await PollUntilAsync(source, output, () => output.Records.Count >= 20, "every record", ct);
            await source.SnapshotStateAsync(new CheckpointId(1), ct);
            await PollQuietlyAsync(source, output, ct);

            // Reading and snapshotting sent Fetch requests, but no OffsetCommit: the checkpoint is not complete.
            var before = await control.GetRequestsAsync(ct);
            Assert.Contains(before, r => r.ApiKey == MockKafkaRequest.Fetch);
            Assert.DoesNotContain(before, r => r.ApiKey == MockKafkaRequest.OffsetCommit);

            var notifiedAt = Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);
            await source.NotifyCheckpointCompleteAsync(new CheckpointId(1), ct);
            IReadOnlyList<MockKafkaRequest> after = [];
            await Poll.UntilAsync(
                async () => (after = await control.GetRequestsAsync(ct)).Any(r => r.ApiKey == MockKafkaRequest.OffsetCommit),
                Deadline, "an OffsetCommit after the checkpoint completed");

            // Both clocks are CLOCK_MONOTONIC on Linux: the commit reached the broker after the notification.
            Assert.All(after.Where(r => r.ApiKey == MockKafkaRequest.OffsetCommit), r => Assert.True(r.TimestampMicroseconds >= notifiedAt));
            await Poll.UntilAsync(() => CommittedOffset(group, topic, 0) == 20, Deadline, "checkpoint 1's offset in the group");
        }
        finally
        {
            await control.TrackRequestsAsync(on: false, ct);
        }
    }

    [MockKafkaFact]
    public async Task Source_PartitionLeaderMovesMidRun_ReadsEveryRecordOnceInOrder()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(1, ct, "src-leader-move");
        await ProduceAsync(topic, 0, Values(0, 50), ct);
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        using var admin = TestTopics.CreateAdminClient();
        var leader = TestTopics.Metadata(admin, topic).Partitions.Single().Leader;
        var output = new ListCollector<string>();
        await using var source = await OpenAsync(Options(topic) with { PollBatchSize = 10 }, Context(), ct);
        await PollUntilAsync(source, output, () => output.Records.Count >= 20, "the first records", ct);

        var next = leader % 3 + 1;
        await control.SetPartitionLeaderAsync(topic, 0, next, ct);
        await ProduceAsync(topic, 0, Values(50, 100), ct);
        await PollUntilAsync(source, output, () => output.Records.Count >= 100, "every record after the leader moved", ct);
        await PollQuietlyAsync(source, output, ct);

        Assert.Equal(next, TestTopics.Metadata(admin, topic).Partitions.Single().Leader);
        Assert.Equal(Values(0, 100), output.Values);
    }

    [MockKafkaFact]
    public async Task Source_SlowBrokers_RestoresAndReadsEveryRecordOnce()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(2, ct, "src-slow");
        await ProduceAsync(topic, 0, Values(0, 30), ct);
        await ProduceAsync(topic, 1, Values(30, 60), ct);
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        await control.SetBrokerRttAsync(-1, 300, ct);
        try
        {
            var options = Options(topic) with { PollBatchSize = 7 };
            var first = new ListCollector<string>();
            OperatorSnapshot checkpoint;
            await using (var source = await OpenAsync(options, Context(), ct))
            {
                await PollUntilAsync(source, first, () => first.Records.Count >= 25, "some records through slow brokers", ct);
                checkpoint = await source.SnapshotStateAsync(new CheckpointId(3), ct);
            }

            var second = new ListCollector<string>();
            await using (var source = await OpenAsync(options, Context(restored: Restore(new CheckpointId(3), [checkpoint], 0, 1)), ct))
            {
                await PollUntilAsync(source, second, () => first.Records.Count + second.Records.Count >= 60, "the rest", ct);
                await PollQuietlyAsync(source, second, ct);
            }

            Assert.Equal(Values(0, 60), [.. first.Values.Concat(second.Values).OrderBy(Number)]);
        }
        finally
        {
            await control.SetBrokerRttAsync(-1, 0, ct);
        }
    }

    [MockKafkaFact]
    public async Task Source_RestoredOffsetBeyondARecreatedTopic_FailsNamingThePartitionOffsetAndLogBounds()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(1, ct, "src-recreated");
        await ProduceAsync(topic, 0, Values(0, 40), ct);
        var output = new ListCollector<string>();
        OperatorSnapshot checkpoint;
        await using (var source = await OpenAsync(Options(topic), Context(), ct))
        {
            await PollUntilAsync(source, output, () => output.Records.Count >= 40, "every record", ct);
            checkpoint = await source.SnapshotStateAsync(new CheckpointId(5), ct);
        }

        // The topic is deleted and created again (by hand, or by a redeploy): offsets start at 0 again.
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        await control.DeleteTopicAsync(topic, ct);
        await control.CreateTopicAsync(topic, 1, 1, ct);
        await ProduceAsync(topic, 0, Values(100, 110), ct);

        var failure = await Assert.ThrowsAsync<KafkaOffsetOutOfRangeException>(async () =>
        {
            await using var source = await OpenAsync(Options(topic), Context(restored: Restore(new CheckpointId(5), [checkpoint], 0, 1)), ct);
            var after = new ListCollector<string>();
            await PollUntilAsync(source, after, () => false, "the out-of-range failure", ct);
        });

        Assert.Contains($"{topic}/0", failure.Message, StringComparison.Ordinal);
        Assert.Contains("offset 40", failure.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 10]", failure.Message, StringComparison.Ordinal);
        Assert.Contains("OffsetOutOfRange", failure.Message, StringComparison.Ordinal);
        Assert.Equal((topic, 0, 40L, 0L, 10L), (failure.Topic, failure.Partition, failure.Offset, failure.Low, failure.High));
    }

    [MockKafkaFact]
    public async Task PatternSource_TopicMetadataFailsTransientlyAtRestore_ResumesAtTheRestoredPositionNotFromTheStart()
    {
        var ct = TestDeadline.Token();
        var prefix = $"pat{Guid.NewGuid():N}";
        var topic = await TestTopics.CreateAsync(1, ct, prefix);
        await ProduceAsync(topic, 0, Values(0, 20), ct);
        var options = Options(topic) with { Topics = [], TopicPattern = $"{prefix}-.*", PartitionDiscoveryInterval = TimeSpan.FromMilliseconds(500) };
        var first = new ListCollector<string>();
        OperatorSnapshot checkpoint;
        await using (var source = await OpenAsync(options with { PollBatchSize = 10 }, Context(), ct))
        {
            await PollUntilAsync(source, first, () => first.Records.Count >= 10, "the first half", ct);
            checkpoint = await source.SnapshotStateAsync(new CheckpointId(2), ct);
        }

        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        const int LeaderNotAvailable = 5;
        await control.SetTopicErrorAsync(topic, LeaderNotAvailable, ct);
        var second = new ListCollector<string>();
        try
        {
            await using var source = await OpenAsync(options, Context(restored: Restore(new CheckpointId(2), [checkpoint], 0, 1)), ct);
            await source.PollAsync(second, ct);
            await control.SetTopicErrorAsync(topic, 0, ct);

            // Discovery finds the topic again: it must resume at the checkpoint's position, not at the start.
            await PollUntilAsync(source, second, () => first.Records.Count + second.Records.Count >= 20, "the rest", ct);
            await PollQuietlyAsync(source, second, ct);
        }
        finally
        {
            await control.SetTopicErrorAsync(topic, 0, ct);
        }

        // A poll returns up to 10 records, so the first run may have read past 10 before its checkpoint.
        Assert.Equal(Values(0, first.Records.Count), first.Values);
        Assert.Equal(Values(first.Records.Count, 20), second.Values);
    }

    [MockKafkaFact]
    public async Task Source_TopicRecreatedWhileReading_FailsOrResetsAsTheOptionsSay()
    {
        var ct = TestDeadline.Token();
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        foreach (var policy in new[] { KafkaOffsetOutOfRange.Fail, KafkaOffsetOutOfRange.ResetToEarliest })
        {
            var topic = await TestTopics.CreateAsync(1, ct, "src-recreated-live");
            await ProduceAsync(topic, 0, Values(0, 30), ct);
            var output = new ListCollector<string>();
            await using var source = await OpenAsync(Options(topic) with { OffsetOutOfRange = policy }, Context(), ct);
            await PollUntilAsync(source, output, () => output.Records.Count >= 30, "every record", ct);

            await control.DeleteTopicAsync(topic, ct);
            await control.CreateTopicAsync(topic, 1, 1, ct);
            await ProduceAsync(topic, 0, Values(100, 105), ct);
            if (policy == KafkaOffsetOutOfRange.Fail)
            {
                // Not a silent re-read from 0, nor a partition stalled forever: the attempt fails with the numbers.
                var failure = await Assert.ThrowsAsync<KafkaOffsetOutOfRangeException>(
                    () => PollUntilAsync(source, output, () => false, "the out-of-range failure", ct));
                Assert.Equal((30L, 0L, 5L), (failure.Offset, failure.Low, failure.High));
            }
            else
            {
                await PollUntilAsync(source, output, () => output.Records.Count >= 35, "the recreated topic's records", ct);
                Assert.Equal(Values(100, 105), output.Values.Skip(30));
                Assert.Equal(0, source.Positions.Single().NextOffset - 5);
            }
        }
    }

    private static List<string> Values(int from, int to) => [.. Enumerable.Range(from, to - from).Select(i => $"v{i}")];

    private static int Number(string value) => int.Parse(value.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
}
