using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Windows;
using static Etl.Tests.Unit.Windows.Scenario;

namespace Etl.Tests.Unit.Windows;

/// <summary>
/// A late record that merges fired sessions (or extends one backwards) supersedes results already emitted
/// under other (key, start) keys: the operator must retract them, so that a sink upserting by (key, start)
/// holds exactly the final sessions (issue 13, scenario 14).
/// </summary>
public sealed class SessionRetractionTests
{
    private static readonly WindowAssigner Gap10 = WindowAssigner.Session(Ms(10));

    [Fact]
    public async Task Session_LateRecordBridgesTwoFiredSessions_RetractsTheLaterStartAndUpsertsTheMergedSession()
    {
        await using var h = await OpenAsync(Gap10, Aggregates.Count<Order>(), latenessMs: 100);
        await h.ProcessAsync(new Order(1, "a", 1m), 0);
        await h.ProcessAsync(new Order(2, "a", 1m), 20);
        await h.WatermarkAsync(40);
        await h.ProcessAsync(new Order(3, "a", 1m), 10);

        Assert.Equal([(0L, 30L, 3L)], Table(h.Output.Values));
        var retraction = Assert.Single(h.Output.Values, r => r.IsRetraction);
        Assert.Equal(("a", 20L), (retraction.Key, retraction.WindowStart));
    }

    [Fact]
    public async Task Session_LateRecordMovesAFiredSessionsStart_RetractsTheOldStart()
    {
        await using var h = await OpenAsync(Gap10, Aggregates.Count<Order>(), latenessMs: 100);
        await h.ProcessAsync(new Order(1, "a", 1m), 20);
        await h.WatermarkAsync(40);
        await h.ProcessAsync(new Order(2, "a", 1m), 15);

        Assert.Equal([(15L, 30L, 2L)], Table(h.Output.Values));
    }

    [Fact]
    public async Task Session_LateBridgeThatWaitsForTheWatermark_RetractsWhenTheMergedSessionFires()
    {
        // [0,10) and [20,30) fired. 35 opens [35,45) on time; 28 joins [20,30) to it, and 10 bridges
        // everything into [0,45), which ends past the watermark: it fires on time, superseding (a, 20).
        await using var h = await OpenAsync(Gap10, Aggregates.Count<Order>(), latenessMs: 100);
        await h.ProcessAsync(new Order(1, "a", 1m), 0);
        await h.ProcessAsync(new Order(2, "a", 1m), 20);
        await h.WatermarkAsync(32);
        await h.ProcessAsync(new Order(3, "a", 1m), 35);
        await h.ProcessAsync(new Order(4, "a", 1m), 28);
        await h.ProcessAsync(new Order(5, "a", 1m), 10);
        Assert.Equal([(0L, 10L, 1L), (20L, 30L, 1L)], Table(h.Output.Values));

        await h.WatermarkAsync(44);

        Assert.Equal([(0L, 45L, 5L)], Table(h.Output.Values));
    }

    [Fact]
    public async Task Session_LateMergeAfterARestore_StillRetractsWhatFiredBeforeTheCheckpoint()
    {
        var count = Aggregates.Count<Order>();
        await using var before = await OpenAsync(Gap10, count, latenessMs: 100);
        await before.ProcessAsync(new Order(1, "a", 1m), 0);
        await before.ProcessAsync(new Order(2, "a", 1m), 20);
        await before.WatermarkAsync(32);
        await before.ProcessAsync(new Order(3, "a", 1m), 35);
        await before.ProcessAsync(new Order(4, "a", 1m), 28);
        await before.ProcessAsync(new Order(5, "a", 1m), 10);
        var snapshot = await before.SnapshotAsync(1);

        await using var after = await RestoreAsync(Gap10, count, snapshot, latenessMs: 100);
        await after.WatermarkAsync(44);

        Assert.Equal([(0L, 45L, 5L)], Table([.. before.Output.Values, .. after.Output.Values]));
    }

    /// <summary>What a sink upserting by (key, start) and deleting retracted keys holds for key "a".</summary>
    private static List<(long Start, long End, long Count)> Table(IEnumerable<WindowResult<string, long>> results)
    {
        var table = new SortedDictionary<long, (long End, long Count)>();
        foreach (var result in results)
        {
            if (result.IsRetraction)
            {
                table.Remove(result.WindowStart);
            }
            else
            {
                table[result.WindowStart] = (result.WindowEnd, result.Value);
            }
        }

        return [.. table.Select(e => (e.Key, e.Value.End, e.Value.Count))];
    }
}
