using Etl.Pipeline;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Unit.Windows.Scenario;

namespace Etl.Tests.Unit.Windows;

/// <summary>
/// Window state restored into an operator whose windows are configured differently would mix old and new
/// windows: the restore must refuse and name the change (issue 13, scenario 13).
/// </summary>
public sealed class WindowConfigurationRestoreTests
{
    public static TheoryData<string, string, string, string> Changes => new()
    {
        { "tumbling 10ms", "tumbling 20ms", "tumbling windows of 10ms", "tumbling windows of 20ms" },
        { "tumbling 10ms", "tumbling 10ms offset 5ms", "tumbling windows of 10ms", "tumbling windows of 10ms offset by 5ms" },
        { "sliding 20ms/10ms", "sliding 20ms/5ms", "sliding windows of 20ms every 10ms", "sliding windows of 20ms every 5ms" },
        { "sliding 20ms/10ms", "tumbling 20ms", "sliding windows of 20ms every 10ms", "tumbling windows of 20ms" },
        { "session 10ms", "session 30ms", "session windows with a gap of 10ms", "session windows with a gap of 30ms" },
        { "tumbling 10ms", "session 10ms", "tumbling windows of 10ms", "session windows with a gap of 10ms" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Restore_WithChangedWindows_FailsNamingTheOldAndTheNewWindows(string old, string changed, string oldText, string newText)
    {
        var snapshot = await SnapshotWithAWindowAsync(Assigner(old));

        var error = await Assert.ThrowsAsync<IncompatibleStateException>(
            () => RestoreAsync(Assigner(changed), Aggregates.Count<Order>(), snapshot));

        Assert.Contains($"checkpoint 1 has {oldText}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"the job now has {newText}", error.Message, StringComparison.Ordinal);
        Assert.Contains(HarnessContext.OperatorId, error.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-non-restored-state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_WithChangedWindowsAndAllowNonRestoredState_DropsTheOldWindowsAndKeepsTheWatermark()
    {
        await using var before = await OpenAsync(Assigner("tumbling 10ms"), Aggregates.Count<Order>());
        await before.ProcessAsync(new Order(1, "a", 1m), 25);
        await before.WatermarkAsync(22);
        var snapshot = await before.SnapshotAsync(1);

        var op = Operator(Assigner("tumbling 20ms"), Aggregates.Count<Order>());
        var restored = StateAssignment.For(new CheckpointId(1), [snapshot], 0, 1, KeyGroups.DefaultMaxParallelism);
        var context = HarnessContext.Create(restored: restored) with { AllowNonRestoredState = true };
        await op.OpenAsync(context, CancellationToken.None);
        await using var after = new OperatorHarness<Order, WindowResult<string, long>>(op, context);
        await after.ProcessAsync(new Order(2, "a", 1m), 5);
        await after.ProcessAsync(new Order(3, "a", 1m), 30);
        await after.EndOfInputAsync();

        // The order at 25 is gone with the old windows; 5 is behind the kept watermark (22) and goes late.
        Assert.Equal([new WindowResult<string, long>("a", 20, 40, 1, false)], after.Output.Values);
        Assert.Single(after.Output.DeadLetters);
    }

    [Fact]
    public async Task Restore_WithChangedWindowsButNoOpenWindow_StillFails()
    {
        // No keyed state at all: only the operator state can tell.
        await using var h = await OpenAsync(Assigner("tumbling 10ms"), Aggregates.Count<Order>());
        await h.WatermarkAsync(100);
        var snapshot = await h.SnapshotAsync(1);

        await Assert.ThrowsAsync<IncompatibleStateException>(() => RestoreAsync(Assigner("tumbling 20ms"), Aggregates.Count<Order>(), snapshot));
    }

    [Theory]
    [InlineData("tumbling 10ms", "sliding 10ms/10ms")]
    [InlineData("tumbling 10ms", "tumbling 10ms")]
    public async Task Restore_WithTheSameWindows_Restores(string old, string same)
    {
        var snapshot = await SnapshotWithAWindowAsync(Assigner(old));

        await using var h = await RestoreAsync(Assigner(same), Aggregates.Count<Order>(), snapshot);
        await h.EndOfInputAsync();

        Assert.Equal([new WindowResult<string, long>("a", 0, 10, 1, false)], h.Output.Values);
    }

    [Fact]
    public async Task Restore_WithOnlyTheAllowedLatenessChanged_Restores()
    {
        await using var before = await OpenAsync(Assigner("tumbling 10ms"), Aggregates.Count<Order>(), latenessMs: 0);
        await before.ProcessAsync(new Order(1, "a", 1m), 5);
        var snapshot = await before.SnapshotAsync(1);

        await using var after = await RestoreAsync(Assigner("tumbling 10ms"), Aggregates.Count<Order>(), snapshot, latenessMs: 50);
        await after.WatermarkAsync(20);
        await after.ProcessAsync(new Order(2, "a", 1m), 6);

        Assert.Equal(
            [new WindowResult<string, long>("a", 0, 10, 1, false), new WindowResult<string, long>("a", 0, 10, 2, true)],
            after.Output.Values);
    }

    [Fact]
    public async Task Restore_OfACheckpointWithoutTheWindowDescription_RestoresAsBefore()
    {
        // A checkpoint of an earlier build: watermark state version 1 (9 bytes), no description.
        var current = await SnapshotWithAWindowAsync(Assigner("tumbling 10ms"));
        var version1 = new byte[9];
        version1[0] = 1;
        BitConverter.TryWriteBytes(version1.AsSpan(1), 3L);
        var old = current with { OperatorState = version1 };

        await using var h = await RestoreAsync(Assigner("tumbling 10ms"), Aggregates.Count<Order>(), old);
        await h.EndOfInputAsync();

        Assert.Equal([new WindowResult<string, long>("a", 0, 10, 1, false)], h.Output.Values);
    }

    private static async Task<OperatorSnapshot> SnapshotWithAWindowAsync(WindowAssigner assigner)
    {
        await using var h = await OpenAsync(assigner, Aggregates.Count<Order>());
        await h.ProcessAsync(new Order(1, "a", 1m), 5);
        await h.WatermarkAsync(3);
        return await h.SnapshotAsync(1);
    }

    private static WindowAssigner Assigner(string text)
    {
        var parts = text.Split(' ');
        return (parts[0], parts.Length) switch
        {
            ("tumbling", 2) => WindowAssigner.Tumbling(Parse(parts[1])),
            ("tumbling", 4) => WindowAssigner.Tumbling(Parse(parts[1]), Parse(parts[3])),
            ("sliding", _) => WindowAssigner.Sliding(Parse(parts[1].Split('/')[0]), Parse(parts[1].Split('/')[1])),
            ("session", _) => WindowAssigner.Session(Parse(parts[1])),
            _ => throw new ArgumentException(text, nameof(text)),
        };
    }

    private static TimeSpan Parse(string ms) => Ms(long.Parse(ms.TrimEnd('m', 's'), System.Globalization.CultureInfo.InvariantCulture));
}
