using Etl.Connectors.Kafka;
using Etl.Pipeline;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Kafka;

public sealed class SubtaskWatermarkTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void Watermark_IsMaxTimestampMinusOutOfOrdernessMinusOne_MinimumOverPartitions()
    {
        var watermark = new SubtaskWatermark(new KafkaWatermarkOptions { OutOfOrderness = TimeSpan.FromMilliseconds(100) });
        var (p0, p1) = (Cursor(0), Cursor(1));
        p0.Advance(0, 5_000);
        p1.Advance(0, 3_000);

        var step = watermark.Evaluate([p0, p1], _clock.GetUtcNow());

        Assert.Equal(new Watermark(3_000 - 100 - 1), step.Emit);
    }

    [Fact]
    public void Watermark_PartitionWithoutRecords_HoldsItBack()
    {
        var watermark = new SubtaskWatermark(new KafkaWatermarkOptions());
        var (p0, p1) = (Cursor(0), Cursor(1));
        p0.Advance(0, 5_000);

        Assert.Null(watermark.Evaluate([p0, p1], _clock.GetUtcNow()).Emit);
    }

    [Fact]
    public void Watermark_IdlePartition_StopsHoldingBackOnlyAfterTheTimeout()
    {
        var watermark = new SubtaskWatermark(new KafkaWatermarkOptions { IdleTimeout = TimeSpan.FromSeconds(10) });
        var (p0, p1) = (Cursor(0), Cursor(1));
        p0.Advance(0, 5_000);
        Assert.Null(watermark.Evaluate([p0, p1], _clock.GetUtcNow()).Emit);

        _clock.Advance(TimeSpan.FromSeconds(9));
        p0.Advance(1, 6_000);
        Assert.Null(watermark.Evaluate([p0, p1], _clock.GetUtcNow()).Emit);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var step = watermark.Evaluate([p0, p1], _clock.GetUtcNow());

        Assert.Equal(new Watermark(6_000 - 1), step.Emit);
        Assert.False(step.MarkIdle);
    }

    [Fact]
    public void Watermark_AllPartitionsIdle_MarksIdleOnceUntilRecordsArrive()
    {
        var watermark = new SubtaskWatermark(new KafkaWatermarkOptions { IdleTimeout = TimeSpan.FromSeconds(1) });
        var p0 = Cursor(0);
        p0.Advance(0, 1_000);
        Assert.Equal(new Watermark(999), watermark.Evaluate([p0], _clock.GetUtcNow()).Emit);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(watermark.Evaluate([p0], _clock.GetUtcNow()).MarkIdle);
        Assert.Equal(WatermarkStep.None, watermark.Evaluate([p0], _clock.GetUtcNow()));

        p0.Advance(1, 2_000);
        Assert.Equal(new Watermark(1_999), watermark.Evaluate([p0], _clock.GetUtcNow()).Emit);
    }

    [Fact]
    public void Watermark_NoPartitions_MarksIdle() =>
        Assert.True(new SubtaskWatermark(new KafkaWatermarkOptions()).Evaluate([], _clock.GetUtcNow()).MarkIdle);

    [Fact]
    public void Watermark_NeverGoesBackwards()
    {
        var watermark = new SubtaskWatermark(new KafkaWatermarkOptions());
        var p0 = Cursor(0);
        p0.Advance(0, 5_000);
        watermark.Evaluate([p0], _clock.GetUtcNow());
        var late = Cursor(1);
        late.Advance(0, 1_000);

        Assert.Equal(WatermarkStep.None, watermark.Evaluate([p0, late], _clock.GetUtcNow()));
        Assert.Equal(new Watermark(4_999), watermark.Current);
    }

    [Fact]
    public void DeadLetter_MovesThePositionButNotEventTime()
    {
        var p0 = Cursor(0);
        p0.Advance(7, 1_000);
        p0.Skip(8);

        Assert.Equal(new KafkaPartitionState("t", 0, 9, 1_000), p0.ToState());
    }

    private PartitionCursor Cursor(int partition) => new("t", partition, 0, long.MinValue, _clock.GetUtcNow());
}
