using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Windows;
using static Etl.Tests.Unit.Windows.Scenario;

namespace Etl.Tests.Unit.Windows;

public sealed class AggregateScenarioTests
{
    private static readonly WindowAssigner Minute = WindowAssigner.Tumbling(TimeSpan.FromMinutes(1));

    private static readonly Order[] Orders =
    [
        new(1, "alice", 0.10m), new(2, "alice", 0.20m), new(3, "bob", 19.99m),
        new(4, "alice", 1000000000000.01m), new(5, "bob", -5.00m), new(6, "alice", 0.30m),
    ];

    private static async Task<Dictionary<string, TResult>> RunMinuteAsync<TAcc, TResult>(IAggregate<Order, TAcc, TResult> aggregate)
    {
        await using var h = await OpenAsync(Minute, aggregate);
        for (var i = 0; i < Orders.Length; i++)
        {
            // Out of order within the minute; the next minute's record must not leak in.
            await h.ProcessAsync(Orders[i], 59_000 - (i * 7_000));
        }

        await h.ProcessAsync(new Order(7, "alice", 99m), 60_000);
        await h.WatermarkAsync(59_999);
        Assert.All(h.Output.Records, r => Assert.Equal(59_999, r.Timestamp));
        Assert.All(h.Output.Values, r => Assert.Equal((0, 60_000, false), (r.WindowStart, r.WindowEnd, r.IsLateUpdate)));
        return h.Output.Values.ToDictionary(r => r.Key, r => r.Value);
    }

    [Fact]
    public async Task Sum_DecimalAmounts_IsExact()
    {
        var sums = await RunMinuteAsync(Aggregates.Sum<Order>(o => o.Amount));
        Assert.Equal(1000000000000.61m, sums["alice"]);
        Assert.Equal(14.99m, sums["bob"]);
    }

    [Fact]
    public async Task Count_CountsRecordsPerKeyAndWindow()
    {
        var counts = await RunMinuteAsync(Aggregates.Count<Order>());
        Assert.Equal(4, counts["alice"]);
        Assert.Equal(2, counts["bob"]);
    }

    [Fact]
    public async Task MinAndMax_PickTheExtremeAmounts()
    {
        var min = await RunMinuteAsync(Aggregates.Min<Order>(o => o.Amount));
        var max = await RunMinuteAsync(Aggregates.Max<Order>(o => o.Amount));
        Assert.Equal((0.10m, 1000000000000.01m), (min["alice"], max["alice"]));
        Assert.Equal((-5.00m, 19.99m), (min["bob"], max["bob"]));
    }

    [Fact]
    public async Task Average_IsTheExactDecimalSumOverTheCount()
    {
        var averages = await RunMinuteAsync(Aggregates.Average<Order>(o => o.Amount));
        Assert.Equal(7.495m, averages["bob"]);
        Assert.Equal(250000000000.1525m, averages["alice"]);
    }

    [Fact]
    public async Task UserAggregate_RecordAccumulator_SurvivesSnapshotAndRestore()
    {
        var aggregate = new LargestOrderAggregate();
        await using var before = await OpenAsync(Minute, aggregate);
        await before.ProcessAsync(new Order(1, "alice", 5m), 1_000);
        await before.ProcessAsync(new Order(2, "alice", 7m), 2_000);
        var snapshot = await before.SnapshotAsync(1);

        await using var after = await RestoreAsync(Minute, aggregate, snapshot);
        await after.ProcessAsync(new Order(3, "alice", 6m), 3_000);
        await after.WatermarkAsync(59_999);

        Assert.Equal(new WindowResult<string, long>("alice", 0, 60_000, 2, false), Assert.Single(after.Output.Values));
    }

    [Fact]
    public async Task Sliding_RecordCountsInEveryWindowThatContainsIt()
    {
        await using var h = await OpenAsync(WindowAssigner.Sliding(Ms(30), Ms(10)), Aggregates.Sum<Order>(o => o.Amount));
        await h.ProcessAsync(new Order(1, "a", 1.5m), 25);
        await h.ProcessAsync(new Order(2, "a", 2.5m), 5);
        await h.EndOfInputAsync();

        Assert.Equal(
            [(-20L, 10L, 2.5m), (-10, 20, 2.5m), (0, 30, 4.0m), (10, 40, 1.5m), (20, 50, 1.5m)],
            h.Output.Values.Select(r => (r.WindowStart, r.WindowEnd, r.Value)).Order());
    }

    [Fact]
    public async Task Tumbling_WithOffset_ShiftsWindowBoundaries()
    {
        await using var h = await OpenAsync(WindowAssigner.Tumbling(Ms(10), Ms(3)), Aggregates.Count<Order>());
        await h.ProcessAsync(new Order(1, "a", 1m), 2);
        await h.ProcessAsync(new Order(2, "a", 1m), 3);
        await h.ProcessAsync(new Order(3, "a", 1m), -7);
        await h.EndOfInputAsync();

        Assert.Equal(
            [(-7L, 3L, 2L), (3, 13, 1)],
            h.Output.Values.Select(r => (r.WindowStart, r.WindowEnd, r.Value)).Order());
    }

    [Theory]
    [InlineData(0, 0, "Size")]
    [InlineData(10, 10, "Offset")]
    public void Tumbling_BadSettings_AreRejectedNamingTheSetting(long size, long offset, string setting)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Operator(WindowAssigner.Tumbling(Ms(size), Ms(offset)), Aggregates.Count<Order>()));
        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void NegativeLateness_IsRejectedNamingTheSetting()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Operator(Minute, Aggregates.Count<Order>(), latenessMs: -1));
        Assert.Equal("AllowedLateness", error.ParamName);
    }
}
