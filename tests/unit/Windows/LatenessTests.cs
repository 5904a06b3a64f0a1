using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Etl.Pipeline;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Unit.Windows.Scenario;

namespace Etl.Tests.Unit.Windows;

public sealed class LatenessTests
{
    private static readonly WindowAssigner Ten = WindowAssigner.Tumbling(Ms(10));

    [Fact]
    public async Task Tumbling_RecordWithinLateness_RefiresUpdatedResultAsLateUpdate()
    {
        await using var h = await OpenAsync(Ten, Aggregates.Sum<Order>(o => o.Amount), latenessMs: 10);
        await h.ProcessAsync(new Order(1, "a", 1.25m), 5);
        await h.WatermarkAsync(9);
        await h.ProcessAsync(new Order(2, "a", 2.50m), 6);
        await h.WatermarkAsync(18);
        await h.ProcessAsync(new Order(3, "a", 4.00m), 7);

        Assert.Equal(
            [new WindowResult<string, decimal>("a", 0, 10, 1.25m, false), new WindowResult<string, decimal>("a", 0, 10, 3.75m, true),
             new WindowResult<string, decimal>("a", 0, 10, 7.75m, true)],
            h.Output.Values);
        Assert.All(h.Output.Records, r => Assert.Equal(9, r.Timestamp));
        Assert.Empty(h.Output.DeadLetters);
    }

    [Fact]
    public async Task Tumbling_RecordPastLateness_GoesToLateOutputAsJsonAndIsCounted()
    {
        var context = HarnessContext.Create() with { OperatorId = $"late-{Guid.NewGuid():N}" };
        var late = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Etl" && instrument.Name == "etl.window.late_records")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "operator" && Equals(tag.Value, context.OperatorId))
                {
                    Interlocked.Add(ref late, value);
                }
            }
        });
        listener.Start();
        var op = Operator(Ten, Aggregates.Count<Order>(), latenessMs: 10);
        await op.OpenAsync(context, CancellationToken.None);
        await using var h = new OperatorHarness<Order, WindowResult<string, long>>(op, context);

        await h.ProcessAsync(new Order(1, "a", 1m), 5);
        await h.WatermarkAsync(19);
        await h.ProcessAsync(new Order(2, "a", 3.5m), 9);

        Assert.Equal([new WindowResult<string, long>("a", 0, 10, 1, false)], h.Output.Values);
        var letter = Assert.Single(h.Output.DeadLetters);
        Assert.Equal(DeadLetterReasons.Late, letter.Reason);
        Assert.Equal(9, letter.Timestamp);
        Assert.Equal("a", Encoding.UTF8.GetString(letter.Key!));
        Assert.Equal(new Order(2, "a", 3.5m), JsonSerializer.Deserialize(letter.Value, WindowTestJsonContext.Default.Order));
        Assert.Equal(1, Interlocked.Read(ref late));
    }

    [Fact]
    public async Task Sliding_RecordTooLateForOldWindowsOnly_CountsInTheNewOnesAndIsNoDeadLetter()
    {
        await using var h = await OpenAsync(WindowAssigner.Sliding(Ms(20), Ms(10)), Aggregates.Count<Order>());
        await h.WatermarkAsync(9);
        await h.ProcessAsync(new Order(1, "a", 1m), 5);
        await h.EndOfInputAsync();

        Assert.Equal([new WindowResult<string, long>("a", 0, 20, 1, false)], h.Output.Values);
        Assert.Empty(h.Output.DeadLetters);
    }

    [Fact]
    public async Task Tumbling_FiredWindowRestoredBeforeAnyWatermark_LateRecordIsStillALateUpdateAndNothingRefires()
    {
        var count = Aggregates.Count<Order>();
        await using var before = await OpenAsync(Ten, count, latenessMs: 100);
        await before.ProcessAsync(new Order(1, "a", 1m), 5);
        await before.ProcessAsync(new Order(2, "b", 1m), 15);
        await before.WatermarkAsync(12);
        var snapshot = await before.SnapshotAsync(1);

        await using var after = await RestoreAsync(Ten, count, snapshot, latenessMs: 100);
        await after.ProcessAsync(new Order(3, "a", 1m), 6);
        await after.WatermarkAsync(12);
        await after.WatermarkAsync(19);

        Assert.Equal(
            [new WindowResult<string, long>("a", 0, 10, 2, true), new WindowResult<string, long>("b", 10, 20, 1, false)],
            after.Output.Values);
    }

    [Fact]
    public async Task Tumbling_WindowCleanedUpBeforeCheckpoint_IsNotRestored()
    {
        var count = Aggregates.Count<Order>();
        await using var before = await OpenAsync(Ten, count, latenessMs: 5);
        await before.ProcessAsync(new Order(1, "a", 1m), 5);
        await before.WatermarkAsync(14);
        var snapshot = await before.SnapshotAsync(1);

        Assert.Empty(snapshot.KeyedState);
        await using var after = await RestoreAsync(Ten, count, snapshot, latenessMs: 5);
        await after.EndOfInputAsync();
        Assert.Empty(after.Output.Records);
    }

    [Fact]
    public async Task Restore_SnapshotOfASessionOperatorIntoATumblingOne_FailsNamingBoth()
    {
        await using var session = await OpenAsync(WindowAssigner.Session(Ms(10)), Aggregates.Count<Order>());
        await session.ProcessAsync(new Order(1, "a", 1m), 5);
        var snapshot = await session.SnapshotAsync(1);

        // The windows' description in the operator state refuses it before the keyed state's kind byte would.
        var error = await Assert.ThrowsAsync<IncompatibleStateException>(() => RestoreAsync(Ten, Aggregates.Count<Order>(), snapshot));
        Assert.Contains("session", error.Message, StringComparison.Ordinal);
    }
}
