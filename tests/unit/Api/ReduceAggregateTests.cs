using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Windows;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Api;

public sealed class ReduceAggregateTests
{
    private static readonly IAggregate<Order, ReduceAccumulator<Order>, Order> Largest =
        Aggregates.Reduce<Order>((x, y) => x.Amount >= y.Amount ? x : y, new OrderStateSerializer());

    [Fact]
    public void AddAndMerge_CombinePairwise_AndAnEmptyAccumulatorIsNeutral()
    {
        var left = Largest.CreateAccumulator();
        Assert.False(left.HasValue);
        Largest.Add(ref left, new Order("a", 2m));
        Largest.Add(ref left, new Order("a", 5m));
        var right = Largest.CreateAccumulator();
        Largest.Merge(ref left, right);
        Assert.Equal(new Order("a", 5m), Largest.GetResult(left));

        Largest.Add(ref right, new Order("a", 9m));
        Largest.Merge(ref left, right);
        Assert.Equal(new Order("a", 9m), Largest.GetResult(left));
    }

    [Fact]
    public void Accumulator_RoundTripsThroughItsSerializer_EmptyOrNot()
    {
        var full = new ReduceAccumulator<Order>(true, new Order("k", -1.25m));
        foreach (var accumulator in new[] { default, full })
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                Largest.AccumulatorSerializer.Write(writer, accumulator);
            }

            stream.Position = 0;
            using var reader = new BinaryReader(stream);
            Assert.Equal(accumulator, Largest.AccumulatorSerializer.Read(reader));
        }
    }

    [Fact]
    public async Task InASessionWindow_MergedSessionsKeepTheReducedValue_AcrossASnapshotAndRestore()
    {
        static Etl.Pipeline.IOperator<Order, WindowResult<string, Order>> Create() => WindowedAggregate.Create(
            WindowAssigner.Session(TimeSpan.FromSeconds(20)), o => o.Customer, KeyFormats.Strings, Largest,
            new WindowOptions<Order>(_ => []));
        var h = await OperatorHarness.OpenAsync(Create());
        await h.ProcessAsync(new Order("a", 4m), 1_000);
        await h.ProcessAsync(new Order("a", 7m), 30_000);
        var snapshot = await h.SnapshotAsync(1);

        var restored = await OperatorHarness.RestoreAsync(Create(), new Etl.Pipeline.CheckpointId(1), snapshot);
        await restored.ProcessAsync(new Order("a", 1m), 15_000); // bridges both sessions
        await restored.WatermarkAsync(100_000);

        var result = Assert.Single(restored.Output.Values, r => !r.IsRetraction);
        Assert.Equal(("a", 1_000L, 50_000L, 7m), (result.Key, result.WindowStart, result.WindowEnd, result.Value.Amount));
    }
}
