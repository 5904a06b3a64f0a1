using Etl.Connectors.Kafka;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Integration.Kafka.KafkaSourceTestKit;

namespace Etl.Tests.Integration.Kafka;

public sealed class KafkaSourceCheckpointTests
{
    [Fact]
    public async Task Source_RestoredFromCheckpoint_IgnoresTheGroupsCommittedOffsets()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(1, ct, "src-restore");
        var group = $"group-{Guid.NewGuid():N}";
        await ProduceAsync(topic, 0, Enumerable.Range(0, 10).Select(i => $"v{i}"), ct);
        var options = Options(topic, group) with { PollBatchSize = 1, StartPosition = KafkaStartPosition.GroupOffsets };

        OperatorSnapshot checkpoint;
        var first = new ListCollector<string>();
        await using (var source = await OpenAsync(options, Context(), ct))
        {
            await PollUntilAsync(source, first, () => first.Records.Count >= 4, "the first 4 records", ct);
            checkpoint = await source.SnapshotStateAsync(new CheckpointId(1), ct);
        }

        // The group claims a position far past the checkpoint (another run, or a manual reset).
        CommitOffset(group, topic, 0, 8);

        var second = new ListCollector<string>();
        await using (var source = await OpenAsync(options, Context(restored: Restore(new CheckpointId(1), [checkpoint], 0, 1)), ct))
        {
            await PollUntilAsync(source, second, () => second.Records.Count >= 6, "records after the checkpoint", ct);
            await PollQuietlyAsync(source, second, ct);
        }

        Assert.Equal(["v0", "v1", "v2", "v3"], first.Values);
        Assert.Equal(["v4", "v5", "v6", "v7", "v8", "v9"], second.Values);
    }

    [Fact]
    public async Task Source_StopAfterCheckpointProduceMoreRestartRescaled_ReadsEveryLaterRecordOnceAndNoEarlierOne()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(3, ct, "src-resume");
        var group = $"group-{Guid.NewGuid():N}";
        var options = Options(topic, group);
        await ProduceToAllAsync(topic, "before", 10, ct);

        // Run 1: two subtasks read everything, checkpoint 7 completes, then more is read and the job dies.
        var sources = new[] { await OpenAsync(options, Context(0, 2), ct), await OpenAsync(options, Context(1, 2), ct) };
        var outputs = new[] { new ListCollector<string>(), new ListCollector<string>() };
        await PollAllUntilAsync(sources, outputs, 30, ct);
        var checkpoint = new List<OperatorSnapshot>();
        foreach (var source in sources)
        {
            checkpoint.Add(await source.SnapshotStateAsync(new CheckpointId(7), ct));
        }

        foreach (var source in sources)
        {
            await source.NotifyCheckpointCompleteAsync(new CheckpointId(7), ct);
        }

        await ProduceToAllAsync(topic, "uncheckpointed", 5, ct);
        await PollAllUntilAsync(sources, outputs, 45, ct);
        await Poll.UntilAsync(() => Enumerable.Range(0, 3).All(p => CommittedOffset(group, topic, p) == 10), Deadline, "offsets of checkpoint 7 committed to the group");
        foreach (var source in sources)
        {
            await source.DisposeAsync();
        }

        await ProduceToAllAsync(topic, "after", 5, ct);

        // Run 2: three subtasks restore the union of the old state and split the partitions anew.
        var restoredSources = new List<KafkaSource<string>>();
        var restoredOutputs = new List<ListCollector<string>>();
        for (var i = 0; i < 3; i++)
        {
            restoredSources.Add(await OpenAsync(options, Context(i, 3, Restore(new CheckpointId(7), checkpoint, i, 3)), ct));
            restoredOutputs.Add(new ListCollector<string>());
        }

        await PollAllUntilAsync(restoredSources, restoredOutputs, 30, ct);
        foreach (var (source, output) in restoredSources.Zip(restoredOutputs))
        {
            await PollQuietlyAsync(source, output, ct);
            await source.DisposeAsync();
        }

        var reread = restoredOutputs.SelectMany(o => o.Values).ToList();
        var expected = Enumerable.Range(0, 3).SelectMany(p => Enumerable.Range(0, 5).SelectMany(i => new[] { $"uncheckpointed-{p}-{i}", $"after-{p}-{i}" }));
        Assert.Equal(reread.Count, reread.Distinct().Count());
        Assert.Equal(expected.Order(), reread.Order());
        Assert.DoesNotContain(reread, v => v.StartsWith("before", StringComparison.Ordinal));
        Assert.All(Enumerable.Range(0, 3), i => Assert.All(restoredOutputs[i].Records, r => Assert.Equal(i, PartitionOf(r.Value))));
    }

    private static int PartitionOf(string value) => int.Parse(value.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task ProduceToAllAsync(string topic, string prefix, int perPartition, CancellationToken ct)
    {
        for (var p = 0; p < 3; p++)
        {
            var partition = p;
            await ProduceAsync(topic, partition, Enumerable.Range(0, perPartition).Select(i => $"{prefix}-{partition}-{i}"), ct);
        }
    }

    private static async Task PollAllUntilAsync(IReadOnlyList<KafkaSource<string>> sources, IReadOnlyList<ListCollector<string>> outputs, int total, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (outputs.Sum(o => o.Records.Count) < total)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {total} records ({outputs.Sum(o => o.Records.Count)} so far).");
            }

            for (var i = 0; i < sources.Count; i++)
            {
                await sources[i].PollAsync(outputs[i], ct);
            }
        }
    }
}
