using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Windows;
using static Etl.Tests.Unit.Windows.Scenario;

namespace Etl.Tests.Unit.Windows;

public sealed class SessionMergeTests
{
    private static readonly WindowAssigner Gap10 = WindowAssigner.Session(Ms(10));

    [Fact]
    public async Task Session_RecordBridgesTwoSessions_EmitsOneMergedSessionWithEveryAmount()
    {
        await using var h = await OpenAsync(Gap10, Aggregates.Sum<Order>(o => o.Amount));
        await h.ProcessAsync(new Order(1, "a", 0.10m), 0);
        await h.ProcessAsync(new Order(2, "a", 0.20m), 18);
        await h.WatermarkAsync(8);
        Assert.Empty(h.Output.Records);

        await h.ProcessAsync(new Order(3, "a", 0.30m), 9);
        await h.WatermarkAsync(27);

        var result = Assert.Single(h.Output.Records);
        Assert.Equal(new WindowResult<string, decimal>("a", 0, 28, 0.60m, false), result.Value);
        Assert.Equal(27, result.Timestamp);
    }

    [Fact]
    public async Task Session_RecordBridgesTwoSessionsAfterRestore_MergesTheRestoredAccumulators()
    {
        var sum = Aggregates.Sum<Order>(o => o.Amount);
        await using var before = await OpenAsync(Gap10, sum);
        await before.ProcessAsync(new Order(1, "a", 0.10m), 0);
        await before.ProcessAsync(new Order(2, "a", 0.20m), 18);
        await before.ProcessAsync(new Order(4, "b", 5m), 3);
        await before.WatermarkAsync(8);
        var snapshot = await before.SnapshotAsync(1);

        await using var after = await RestoreAsync(Gap10, sum, snapshot);
        await after.WatermarkAsync(8);
        await after.ProcessAsync(new Order(3, "a", 0.30m), 9);
        await after.WatermarkAsync(27);

        Assert.Equal(
            [new WindowResult<string, decimal>("b", 3, 13, 5m, false), new WindowResult<string, decimal>("a", 0, 28, 0.60m, false)],
            after.Output.Values.OrderBy(r => r.WindowEnd));
    }

    [Fact]
    public async Task Session_LateRecordBridgesAFiredSessionToAnOpenOne_FiresTheMergedSessionWhenTheWatermarkPassesItsNewEnd()
    {
        await using var h = await OpenAsync(Gap10, Aggregates.Count<Order>(), latenessMs: 100);
        await h.ProcessAsync(new Order(1, "a", 1m), 0);
        await h.WatermarkAsync(9);
        await h.ProcessAsync(new Order(2, "a", 1m), 18);
        await h.WatermarkAsync(15);
        await h.ProcessAsync(new Order(3, "a", 1m), 9);
        await h.WatermarkAsync(26);
        await h.WatermarkAsync(27);

        Assert.Equal(
            [new WindowResult<string, long>("a", 0, 10, 1, false), new WindowResult<string, long>("a", 0, 28, 3, false)],
            h.Output.Values);
    }

    [Fact]
    public async Task Session_LateRecordExtendsAFiredSessionWithinLateness_FiresAtOnceAsLateUpdate()
    {
        await using var h = await OpenAsync(Gap10, Aggregates.Count<Order>(), latenessMs: 100);
        await h.ProcessAsync(new Order(1, "a", 1m), 0);
        await h.ProcessAsync(new Order(2, "a", 1m), 5);
        await h.WatermarkAsync(40);
        await h.ProcessAsync(new Order(3, "a", 1m), 2);

        Assert.Equal(
            [new WindowResult<string, long>("a", 0, 15, 2, false), new WindowResult<string, long>("a", 0, 15, 3, true)],
            h.Output.Values);
    }

    [Fact]
    public async Task Session_RecordTouchingASessionEnd_JoinsIt()
    {
        await using var h = await OpenAsync(Gap10, Aggregates.Count<Order>());
        await h.ProcessAsync(new Order(1, "a", 1m), 0);
        await h.ProcessAsync(new Order(2, "a", 1m), 10);
        await h.ProcessAsync(new Order(3, "a", 1m), 21);
        await h.EndOfInputAsync();

        Assert.Equal(
            [new WindowResult<string, long>("a", 0, 20, 2, false), new WindowResult<string, long>("a", 21, 31, 1, false)],
            h.Output.Values.OrderBy(r => r.WindowStart));
    }
}
