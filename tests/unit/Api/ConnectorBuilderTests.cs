using Etl.Connectors.Kafka;
using Etl.Connectors.Postgres;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Windows;
using NpgsqlTypes;

namespace Etl.Tests.Unit.Api;

public sealed class ConnectorBuilderTests
{
    private const string Connection = "Host=127.0.0.1;Username=etl";

    [Fact]
    public void KafkaSourceBuilder_SetsTopicsWatermarksAndConsumerProperties_AndTheGroupDefaultsToTheJob()
    {
        var options = new KafkaSourceBuilder<string>()
            .BootstrapServers("127.0.0.1:9092")
            .Topics("a", "b")
            .StartingOffsets(KafkaStartPosition.Latest)
            .Deserializer(new Utf8StringDeserializer())
            .BoundedOutOfOrderness(TimeSpan.FromSeconds(5))
            .IdleTimeout(TimeSpan.FromSeconds(30))
            .WatermarkInterval(TimeSpan.FromMilliseconds(50))
            .MaxEventTimeAhead(TimeSpan.FromDays(1))
            .ConsumerProperty("fetch.min.bytes", "1")
            .Options(o => o with { PollBatchSize = 10 })
            .BuildOptions("my-job");

        Assert.Equal(("127.0.0.1:9092", "my-job", KafkaStartPosition.Latest, 10), (options.BootstrapServers, options.GroupId, options.StartPosition, options.PollBatchSize));
        Assert.Equal(["a", "b"], options.Topics);
        Assert.Equal(
            new KafkaWatermarkOptions { OutOfOrderness = TimeSpan.FromSeconds(5), IdleTimeout = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromMilliseconds(50), MaxEventTimeAhead = TimeSpan.FromDays(1) },
            options.Watermarks);
        Assert.Equal("1", options.ConsumerConfig["fetch.min.bytes"]);
        Assert.Equal("group", new KafkaSourceBuilder<string>().BootstrapServers("x:1").Topics("t").GroupId("group").BuildOptions("job").GroupId);
    }

    [Fact]
    public void KafkaSourceBuilder_RefusesBadSettingsByName_AndASourceWithoutDeserializer()
    {
        var noTopics = Assert.Throws<ArgumentException>(() => new KafkaSourceBuilder<string>().BootstrapServers("x:1").BuildOptions("job"));
        Assert.Contains("Topics", noTopics.Message, StringComparison.Ordinal);
        var owned = Assert.Throws<ArgumentException>(() => new KafkaSourceBuilder<string>().BootstrapServers("x:1").Topics("t").ConsumerProperty("group.id", "g").BuildOptions("job"));
        Assert.Contains("'group.id'", owned.Message, StringComparison.Ordinal);

        var noDeserializer = Assert.Throws<InvalidOperationException>(
            () => new KafkaSourceBuilder<string>().BootstrapServers("x:1").Topics("t").Create(new SubtaskInfo("job", "orders", 0, 1, 128, 1)));
        Assert.Contains("'orders' has no deserializer", noDeserializer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KafkaSourceBuilder_Bounded_MakesEachSubtasksSourceEndAtTheOffsetsPresentAtOpen()
    {
        var info = new SubtaskInfo("job", "orders", 0, 1, 128, 1);
        var builder = new KafkaSourceBuilder<string>().BootstrapServers("x:1").Topics("t").Deserializer(new Utf8StringDeserializer());

        await using var unbounded = builder.Create(info);
        Assert.IsType<KafkaSource<string>>(unbounded);
        await using var bounded = builder.Bounded().Create(info);
        Assert.IsType<EndBoundedSource<string>>(bounded);
        await using var unboundedAgain = builder.Bounded(false).Create(info);
        Assert.IsType<KafkaSource<string>>(unboundedAgain);
    }

    [Fact]
    public void PostgresSinkBuilder_MapsColumnsUpsertKeysAndRetractions_NamedAfterTheJobAndSink()
    {
        var options = new PostgresSinkBuilder<WindowResult<string, decimal>>(Connection, "public.totals")
            .Column("customer_id", NpgsqlDbType.Text, r => r.Key)
            .TimestampColumn("window_start", r => r.WindowStart)
            .Column("total", NpgsqlDbType.Numeric, r => r.Value)
            .UpsertOn("customer_id", "window_start")
            .DeleteWhen(r => r.IsRetraction)
            .Options(o => o with { BatchSize = 5, Schema = "sinks" })
            .BuildOptions("job", "totals-sink");

        Assert.Equal(("job", "totals-sink", 5, "sinks"), (options.JobName, options.SinkUid, options.BatchSize, options.Schema));
        var table = options.Table;
        Assert.Equal(("public.totals", PostgresWriteMode.Upsert), (table.Table, table.Mode));
        Assert.Equal(["customer_id", "window_start", "total"], table.Columns.Select(c => c.Name));
        Assert.Equal([NpgsqlDbType.Text, NpgsqlDbType.TimestampTz, NpgsqlDbType.Numeric], table.Columns.Select(c => c.Type));
        Assert.Equal(["customer_id", "window_start"], table.KeyColumns!);
        Assert.True(table.Deletes!(new WindowResult<string, decimal>("a", 0, 0, 0m, false) { IsRetraction = true }));
        Assert.Equal("ON CONFLICT (customer_id, window_start) DO UPDATE SET total = EXCLUDED.total", UpsertClause.Of(table));
    }

    [Fact]
    public void PostgresSinkBuilder_RefusesDeletesWithoutUpsert_AndAnUnknownKeyColumn()
    {
        var deletes = Assert.Throws<ArgumentException>(() => new PostgresSinkBuilder<int>(Connection, "t")
            .Column("v", NpgsqlDbType.Integer, v => v).DeleteWhen(v => v < 0).BuildOptions("job", "sink"));
        Assert.Contains("Deletes needs Mode Upsert", deletes.Message, StringComparison.Ordinal);
        var key = Assert.Throws<ArgumentException>(() => new PostgresSinkBuilder<int>(Connection, "t")
            .Column("v", NpgsqlDbType.Integer, v => v).UpsertOn("id").BuildOptions("job", "sink"));
        Assert.Contains("'id' is not one of the mapped columns", key.Message, StringComparison.Ordinal);
        Assert.Equal("ON CONFLICT (v) DO NOTHING", UpsertClause.Of(
            new PostgresSinkBuilder<int>(Connection, "t").Column("v", NpgsqlDbType.Integer, v => v).UpsertOn("v").BuildOptions("job", "sink").Table));
    }
}
