using Etl.Pipeline;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Unit.Windows.Scenario;

namespace Etl.Tests.Unit.Windows;

/// <summary>The watermark survives a restore: windows fired and dropped before a checkpoint stay closed.</summary>
public sealed class WatermarkRestoreTests
{
    public static TheoryData<string> Kinds => ["tumbling", "sliding", "session"];

    // Tumbling [0, 10); sliding [-10, 10) and [0, 20); session [5, 15): all fired and dropped by watermark 40.
    private static WindowAssigner Assigner(string kind) => kind switch
    {
        "tumbling" => WindowAssigner.Tumbling(Ms(10)),
        "sliding" => WindowAssigner.Sliding(Ms(20), Ms(10)),
        _ => WindowAssigner.Session(Ms(10)),
    };

    private static IOperator<Order, WindowResult<string, decimal>> Sum(string kind, long latenessMs = 0) =>
        Operator(Assigner(kind), Aggregates.Sum<Order>(o => o.Amount), latenessMs);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Restore_RecordForAWindowFiredAndDroppedBeforeTheCheckpoint_GoesToTheLateOutputNotAFreshWindow(string kind)
    {
        await using var before = await OperatorHarness.OpenAsync(Sum(kind));
        await before.ProcessAsync(new Order(1, "a", 1.50m), 5);
        await before.WatermarkAsync(40);
        var snapshot = await before.SnapshotAsync(1);
        Assert.NotEmpty(before.Output.Values);
        Assert.Empty(snapshot.KeyedState);

        // No watermark after the restore before the record: the restored one must hold.
        await using var after = await OperatorHarness.RestoreAsync(Sum(kind), new CheckpointId(1), snapshot);
        await after.ProcessAsync(new Order(2, "a", 9m), 6);
        await after.EndOfInputAsync();

        Assert.Empty(after.Output.Values);
        Assert.Equal(6, Assert.Single(after.Output.DeadLetters, d => d.Reason == DeadLetterReasons.Late).Timestamp);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Restore_SplitOverTwoSubtasksByKeyGroup_EverySubtaskSendsRecordsForDroppedWindowsToTheLateOutput(string kind)
    {
        string[] customers = ["a", "b", "c", "d", "e", "f", "g", "h"];
        await using var before = await OperatorHarness.OpenAsync(Sum(kind));
        foreach (var (customer, i) in customers.Select((c, i) => (c, i)))
        {
            await before.ProcessAsync(new Order(i, customer, 1m), 5);
        }

        await before.WatermarkAsync(40);
        var snapshot = await before.SnapshotAsync(1);

        var subtasks = new[]
        {
            await OperatorHarness.RestoreAsync(Sum(kind), new CheckpointId(1), [snapshot], subtaskIndex: 0, parallelism: 2),
            await OperatorHarness.RestoreAsync(Sum(kind), new CheckpointId(1), [snapshot], subtaskIndex: 1, parallelism: 2),
        };
        var routed = new int[2];
        foreach (var (customer, i) in customers.Append("never-seen").Select((c, i) => (c, i)))
        {
            var subtask = KeyGroups.SubtaskOf(KeyGroups.Of(StableHash.Of(customer), KeyGroups.DefaultMaxParallelism), 2, KeyGroups.DefaultMaxParallelism);
            routed[subtask]++;
            await subtasks[subtask].ProcessAsync(new Order(100 + i, customer, 9m), 6);
        }

        Assert.All(routed, count => Assert.True(count > 0, "the keys must reach both subtasks"));
        for (var s = 0; s < subtasks.Length; s++)
        {
            await subtasks[s].EndOfInputAsync();
            Assert.Empty(subtasks[s].Output.Values);
            Assert.Equal(routed[s], subtasks[s].Output.DeadLetters.Count(d => d.Reason == DeadLetterReasons.Late));
            await subtasks[s].DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Restore_WindowsThatFiredBeforeTheCheckpoint_DoNotFireAgain(string kind)
    {
        // Lateness keeps a's fired windows in the state; b's window [30, ...) has not fired yet.
        await using var before = await OperatorHarness.OpenAsync(Sum(kind, latenessMs: 100));
        await before.ProcessAsync(new Order(1, "a", 1m), 5);
        await before.ProcessAsync(new Order(2, "b", 2m), 30);
        await before.WatermarkAsync(25);
        var snapshot = await before.SnapshotAsync(1);
        Assert.All(before.Output.Values, r => Assert.Equal("a", r.Key));
        Assert.NotEmpty(snapshot.KeyedState);

        await using var after = await OperatorHarness.RestoreAsync(Sum(kind, latenessMs: 100), new CheckpointId(1), snapshot);
        await after.WatermarkAsync(20);
        Assert.Empty(after.Output.Records);
        await after.EndOfInputAsync();

        Assert.NotEmpty(after.Output.Values);
        Assert.All(after.Output.Values, r => Assert.Equal(("b", 2m, false), (r.Key, r.Value, r.IsLateUpdate)));
    }

    [Fact]
    public async Task Restore_FromSubtasksWithDifferentWatermarks_ResumesFromTheSmallest()
    {
        await using var early = await OperatorHarness.OpenAsync(Sum("tumbling"), subtaskIndex: 0, parallelism: 2);
        await using var late = await OperatorHarness.OpenAsync(Sum("tumbling"), subtaskIndex: 1, parallelism: 2);
        await early.WatermarkAsync(12);
        await late.WatermarkAsync(40);
        var snapshots = new[] { await early.SnapshotAsync(1), await late.SnapshotAsync(1) };

        await using var restored = await OperatorHarness.RestoreAsync(Sum("tumbling"), new CheckpointId(1), snapshots);
        await restored.ProcessAsync(new Order(1, "a", 1m), 15);
        await restored.ProcessAsync(new Order(2, "b", 1m), 5);

        // 15 is after the smallest restored watermark (12): counted; 5 is behind it: late.
        Assert.Equal(5, Assert.Single(restored.Output.DeadLetters).Timestamp);
        await restored.WatermarkAsync(30);
        Assert.Equal([new WindowResult<string, decimal>("a", 10, 20, 1m, false)], restored.Output.Values);
    }

    [Fact]
    public async Task Restore_ThenCheckpointBeforeAnyInput_KeepsTheRestoredWatermark()
    {
        await using var first = await OperatorHarness.OpenAsync(Sum("tumbling"));
        await first.ProcessAsync(new Order(1, "a", 1m), 5);
        await first.WatermarkAsync(40);
        var snapshot = await first.SnapshotAsync(1);

        await using var idle = await OperatorHarness.RestoreAsync(Sum("tumbling"), new CheckpointId(1), snapshot);
        var idleSnapshot = await idle.SnapshotAsync(2);

        await using var second = await OperatorHarness.RestoreAsync(Sum("tumbling"), new CheckpointId(2), idleSnapshot);
        await second.ProcessAsync(new Order(2, "a", 9m), 6);
        Assert.Empty(second.Output.Values);
        Assert.Single(second.Output.DeadLetters);
    }

    [Fact]
    public async Task Restore_WatermarkStateOfAnUnknownVersion_FailsNamingTheVersion()
    {
        var snapshot = new OperatorSnapshot([9, 0, 0, 0, 0, 0, 0, 0, 0], []);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => OperatorHarness.RestoreAsync(Sum("tumbling"), new CheckpointId(1), snapshot));
        Assert.Contains("version 9", error.Message, StringComparison.Ordinal);
    }
}
