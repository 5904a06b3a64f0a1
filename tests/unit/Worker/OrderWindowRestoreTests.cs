using Etl.Pipeline;
using Etl.Pipeline.Windows;
using Etl.Tests.Unit.Harness;
using Etl.Worker.Configuration;
using Etl.Worker.Job;
using Etl.Worker.Orders;

namespace Etl.Tests.Unit.Worker;

public class OrderWindowRestoreTests
{
    private static readonly WindowSettings Window = new() { Kind = WindowKind.Tumbling, Size = TimeSpan.FromSeconds(10) };

    private static IOperator<Order, WindowResult<string, OrderTotal>> Windows(bool restoreWatermark)
    {
        var inner = WindowedAggregate.Create(
            OrderTotalsJob.Assigner(Window), o => o.CustomerId, KeyFormats.Strings, new OrderTotalAggregate(),
            new WindowOptions<Order>(o => OrderJson.Serialize(o)));
        return restoreWatermark ? new WatermarkRestoringOperator<Order, WindowResult<string, OrderTotal>>(inner) : inner;
    }

    private static Order O(string id, decimal amount, long ts) => new(id, "c-1", amount, ts);

    [Fact]
    public async Task Restore_RecordForAWindowEmittedBeforeTheCheckpoint_GoesToTheLateOutputNotANewWindow()
    {
        var before = await OperatorHarness.OpenAsync(Windows(restoreWatermark: true));
        await before.ProcessAsync(O("1", 1.50m, 1_000), 1_000);
        await before.ProcessAsync(O("2", 2.25m, 2_000), 2_000);
        await before.WatermarkAsync(25_000);
        var snapshot = await before.SnapshotAsync(1);
        Assert.Equal(new OrderTotal(3.75m, 2), Assert.Single(before.Output.Values).Value);

        // After the restore, a record of window [0, 10 s) arrives before any watermark.
        var after = await OperatorHarness.RestoreAsync(Windows(restoreWatermark: true), new CheckpointId(1), snapshot);
        await after.ProcessAsync(O("3", 9m, 3_000), 3_000);

        Assert.Empty(after.Output.Values);
        Assert.Equal(DeadLetterReasons.Late, Assert.Single(after.Output.DeadLetters).Reason);
    }

    [Fact]
    public async Task Restore_WithoutTheWatermarkWrapper_WouldOverwriteTheEmittedTotal()
    {
        // The failure the wrapper prevents: the bare operator reopens the dropped window and fires a partial total.
        var before = await OperatorHarness.OpenAsync(Windows(restoreWatermark: false));
        await before.ProcessAsync(O("1", 1.50m, 1_000), 1_000);
        await before.WatermarkAsync(25_000);
        var snapshot = await before.SnapshotAsync(1);

        var after = await OperatorHarness.RestoreAsync(Windows(restoreWatermark: false), new CheckpointId(1), snapshot);
        await after.ProcessAsync(O("3", 9m, 3_000), 3_000);
        await after.WatermarkAsync(25_000);

        Assert.Equal(new OrderTotal(9m, 1), Assert.Single(after.Output.Values).Value);
    }

    [Fact]
    public async Task Restore_AfterRescale_UsesTheSmallestWatermarkOfTheOldSubtasks()
    {
        var early = await OperatorHarness.OpenAsync(Windows(restoreWatermark: true), subtaskIndex: 0, parallelism: 2);
        var late = await OperatorHarness.OpenAsync(Windows(restoreWatermark: true), subtaskIndex: 1, parallelism: 2);
        await early.WatermarkAsync(12_000);
        await late.WatermarkAsync(40_000);
        var snapshots = new[] { await early.SnapshotAsync(1), await late.SnapshotAsync(1) };

        var restored = await OperatorHarness.RestoreAsync(Windows(restoreWatermark: true), new CheckpointId(1), snapshots);
        await restored.ProcessAsync(O("a", 1m, 15_000), 15_000);
        await restored.ProcessAsync(O("b", 1m, 5_000), 5_000);

        // 15 s is after the smallest restored watermark (12 s): counted; 5 s is behind it: late.
        Assert.Single(restored.Output.DeadLetters);
        await restored.WatermarkAsync(30_000);
        Assert.Equal(new OrderTotal(1m, 1), Assert.Single(restored.Output.Values).Value);
    }

    [Fact]
    public void StateLayout_RoundTripsWithAndWithoutInnerState()
    {
        Assert.Equal((42L, (byte[]?)null), WatermarkRestoringOperator<Order, Order>.Decode(WatermarkRestoringOperator<Order, Order>.Encode(42, null)));
        var (watermark, inner) = WatermarkRestoringOperator<Order, Order>.Decode(WatermarkRestoringOperator<Order, Order>.Encode(-7, [1, 2, 3]));
        Assert.Equal(-7, watermark);
        Assert.Equal([1, 2, 3], inner);
        Assert.Throws<InvalidOperationException>(() => WatermarkRestoringOperator<Order, Order>.Decode([9, 0, 0]));
    }
}
