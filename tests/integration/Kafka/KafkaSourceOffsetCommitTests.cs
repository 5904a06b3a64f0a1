using System.Diagnostics.Metrics;
using Etl.Connectors.Kafka;
using Etl.DevServices.Kafka;
using Etl.Pipeline;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Integration.Kafka.KafkaSourceTestKit;

namespace Etl.Tests.Integration.Kafka;

public sealed class KafkaSourceOffsetCommitTests
{
    private const short OffsetCommitApiKey = MockKafkaRequest.OffsetCommit;
    private const int GroupAuthorizationFailed = 30;

    [MockKafkaFact]
    public async Task Source_OffsetCommitFails_IsCountedAndTheNextCheckpointCommits()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(1, ct, "src-commitfail");
        var group = $"group-{Guid.NewGuid():N}";
        await ProduceAsync(topic, 0, ["a", "b", "c"], ct);
        using var failures = new CounterProbe(KafkaSourceMetrics.OffsetCommitFailuresName);
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        var output = new ListCollector<string>();
        await using var source = await OpenAsync(Options(topic, group) with { PollBatchSize = 2 }, Context(), ct);
        await PollUntilAsync(source, output, () => output.Records.Count >= 2, "two records", ct);
        await source.SnapshotStateAsync(new CheckpointId(1), ct);

        await control.PushRequestErrorsAsync(OffsetCommitApiKey, [GroupAuthorizationFailed], ct);
        await source.NotifyCheckpointCompleteAsync(new CheckpointId(1), ct);
        await Poll.UntilAsync(() => failures.Total >= 1, Deadline, "the failed commit to be counted");
        await PollUntilAsync(source, output, () => output.Records.Count >= 3, "reading to go on", ct);
        await source.SnapshotStateAsync(new CheckpointId(2), ct);
        await source.NotifyCheckpointCompleteAsync(new CheckpointId(2), ct);

        await Poll.UntilAsync(() => CommittedOffset(group, topic, 0) == 3, Deadline, "checkpoint 2's offset committed");
        await control.ClearRequestErrorsAsync(OffsetCommitApiKey, ct);
        Assert.Equal(["a", "b", "c"], output.Values);
    }

    /// <summary>Sums one counter of the "Etl" meter while it lives.</summary>
    private sealed class CounterProbe : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public CounterProbe(string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == KafkaSourceMetrics.MeterName && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
