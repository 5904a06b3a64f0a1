using Etl.Connectors.Kafka;
using Etl.Pipeline;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Integration.Kafka.KafkaSourceTestKit;

namespace Etl.Tests.Integration.Kafka;

public sealed class KafkaSourceWatermarkTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Source_OneIdlePartition_WatermarkAdvancesAfterTheIdleTimeoutNotBefore()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(2, ct, "src-idle");
        var baseTs = Start.ToUnixTimeMilliseconds();
        await ProduceAsync(topic, 0, Enumerable.Range(0, 5).Select(i => $"v{i}"), ct, i => baseTs + (i * 1_000));
        var clock = new SteppedClock(Start);
        var options = Options(topic) with
        {
            Watermarks = new KafkaWatermarkOptions { OutOfOrderness = TimeSpan.FromSeconds(2), IdleTimeout = TimeSpan.FromSeconds(10) },
        };

        var output = new ListCollector<string>();
        await using var source = await OpenAsync(options, Context(time: clock), ct);
        await PollUntilAsync(source, output, () => output.Records.Count >= 5, "5 records on partition 0", ct);
        Assert.Empty(output.Watermarks);

        // Partition 0 keeps delivering; partition 1 never does and holds the watermark back for 10 s.
        clock.Advance(TimeSpan.FromSeconds(9));
        await ProduceAsync(topic, 0, ["v5"], ct, _ => baseTs + 5_000);
        await PollUntilAsync(source, output, () => output.Records.Count >= 6, "the 6th record on partition 0", ct);
        Assert.Empty(output.Watermarks);

        clock.Advance(TimeSpan.FromSeconds(1));
        await source.PollAsync(output, ct);

        Assert.Equal([new Watermark(baseTs + 5_000 - 2_000 - 1)], output.Watermarks);
        Assert.Equal(0, output.IdleMarks);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => baseTs + (i * 1_000)), output.Records.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task Source_AllPartitionsSilent_MarksIdleAfterTheTimeout()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(2, ct, "src-allidle");
        var clock = new SteppedClock(Start);
        var options = Options(topic) with { Watermarks = new KafkaWatermarkOptions { IdleTimeout = TimeSpan.FromSeconds(5) } };
        var output = new ListCollector<string>();
        await using var source = await OpenAsync(options, Context(time: clock), ct);

        await source.PollAsync(output, ct);
        Assert.Equal(0, output.IdleMarks);
        clock.Advance(TimeSpan.FromSeconds(5));
        await source.PollAsync(output, ct);
        await source.PollAsync(output, ct);

        Assert.Equal(1, output.IdleMarks);
        Assert.Empty(output.Watermarks);
    }

    /// <summary>Wall clock that moves only when the test says (the harness's ManualTimeProvider lives in the unit project).</summary>
    private sealed class SteppedClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
