using Etl.Connectors.Kafka;

namespace Etl.Tests.Unit.Kafka;

public sealed class PartitionTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Find_WithoutTopicName_UsesTheSingleTopic()
    {
        var table = new PartitionTable("orders");
        table.Add(Cursor("orders", 0));
        table.Add(Cursor("orders", 7));

        Assert.Equal(7, table.Find(null, 7)?.Partition);
        Assert.Null(table.Find(null, 3));
        Assert.Null(table.Find(null, 100));
    }

    [Fact]
    public void Find_SamePartitionInTwoTopics_KeepsThemApart()
    {
        var table = new PartitionTable(singleTopic: null);
        table.Add(Cursor("a", 1));
        table.Add(Cursor("b", 1));

        Assert.Equal("a", table.Find("a", 1)?.Topic);
        Assert.Equal("b", table.Find("b", 1)?.Topic);
        Assert.Null(table.Find("c", 1));
        Assert.Equal(2, table.All.Count);
    }

    [Fact]
    public void Add_SamePartitionTwice_IsRefused()
    {
        var table = new PartitionTable("orders");
        table.Add(Cursor("orders", 2));

        Assert.Throws<InvalidOperationException>(() => table.Add(Cursor("orders", 2)));
    }

    private static PartitionCursor Cursor(string topic, int partition) => new(topic, partition, 0, long.MinValue, Now);
}
