using Etl.Samples.OrderTotals.Orders;

namespace Etl.Tests.Unit.Worker;

public class OrderTotalAggregateTests
{
    private static readonly Order MaxOrder = new("o", "c", OrderJson.MaxAmount, 0);

    [Fact]
    public void Add_TwoOrdersOfTheMaximumAmount_SumsExactly()
    {
        var aggregate = new OrderTotalAggregate();
        var total = aggregate.CreateAccumulator();

        aggregate.Add(ref total, MaxOrder);
        aggregate.Add(ref total, MaxOrder);

        Assert.Equal(new OrderTotal(19_999_999_999_999_999.98m, 2), total);
    }

    [Fact]
    public void Add_AMillionOrdersOfTheMaximumAmount_SumsExactlyAndMergesExactly()
    {
        var aggregate = new OrderTotalAggregate();
        var total = aggregate.CreateAccumulator();
        for (var i = 0; i < 1_000_000; i++)
        {
            aggregate.Add(ref total, MaxOrder);
        }

        var merged = total;
        aggregate.Merge(ref merged, total);

        Assert.Equal(new OrderTotal(OrderJson.MaxAmount * 1_000_000, 1_000_000), total);
        Assert.Equal(new OrderTotal(OrderJson.MaxAmount * 2_000_000, 2_000_000), merged);
        Assert.Equal(2, merged.Total.Scale);
    }
}
