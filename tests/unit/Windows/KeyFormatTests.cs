using Etl.Pipeline;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Windows;

public sealed class KeyFormatTests
{
    private static IOperator<Order, WindowResult<long, decimal>> ByOrderId() =>
        WindowedAggregate.Create(
            WindowAssigner.Tumbling(TimeSpan.FromMilliseconds(10)), (Order o) => o.Id, KeyFormats.Longs,
            Aggregates.Sum<Order>(o => o.Amount), new WindowOptions<Order>(Order.Serialize));

    [Fact]
    public async Task Int64Keys_SnapshotSplitsByKeyGroupOfTheStableHash_AndEachSubtaskRestoresOnlyItsOwn()
    {
        await using var before = await OperatorHarness.OpenAsync(ByOrderId());
        for (var id = 1; id <= 50; id++)
        {
            await before.ProcessAsync(new Order(id, "x", id * 1.01m), 5);
        }

        var snapshot = await before.SnapshotAsync(1);
        Assert.All(snapshot.KeyedState, g => Assert.InRange(g.KeyGroup, 0, KeyGroups.DefaultMaxParallelism - 1));
        Assert.True(snapshot.KeyedState.Count > 1);

        var results = new List<WindowResult<long, decimal>>();
        for (var subtask = 0; subtask < 2; subtask++)
        {
            await using var after = await OperatorHarness.RestoreAsync(ByOrderId(), new CheckpointId(1), [snapshot], subtaskIndex: subtask, parallelism: 2);
            await after.EndOfInputAsync();
            var owned = after.Context.KeyGroups;
            Assert.All(after.Output.Values, r =>
                Assert.True(owned.Contains(KeyGroups.Of(StableHash.Of(r.Key), KeyGroups.DefaultMaxParallelism))));
            results.AddRange(after.Output.Values);
        }

        Assert.Equal(
            Enumerable.Range(1, 50).Select(id => new WindowResult<long, decimal>(id, 0, 10, id * 1.01m, false)),
            results.OrderBy(r => r.Key));
    }
}
