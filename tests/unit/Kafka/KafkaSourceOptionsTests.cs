using Etl.Connectors.Kafka;

namespace Etl.Tests.Unit.Kafka;

public sealed class KafkaSourceOptionsTests
{
    private static readonly KafkaSourceOptions Valid = new() { BootstrapServers = "localhost:9092", Topics = ["orders"], GroupId = "etl" };

    [Fact]
    public void Options_Valid_PassValidation() => Valid.Validate();

    public static TheoryData<string, KafkaSourceOptions> Invalid => new()
    {
        { "BootstrapServers", Valid with { BootstrapServers = " " } },
        { "GroupId", Valid with { GroupId = "" } },
        { "TopicPattern", Valid with { TopicPattern = "orders-.*" } },
        { "Topics", Valid with { Topics = [] } },
        { "Topics", Valid with { Topics = ["a", "a"] } },
        { "TopicPattern", Valid with { Topics = [], TopicPattern = "(" } },
        { "PollBatchSize", Valid with { PollBatchSize = 0 } },
        { "MaxPollWait", Valid with { MaxPollWait = TimeSpan.FromSeconds(5) } },
        { "OpenTimeout", Valid with { OpenTimeout = TimeSpan.Zero } },
        { "PartitionDiscoveryInterval", Valid with { PartitionDiscoveryInterval = TimeSpan.FromSeconds(-1) } },
        { "Watermarks.OutOfOrderness", Valid with { Watermarks = new KafkaWatermarkOptions { OutOfOrderness = TimeSpan.FromSeconds(-1) } } },
        { "Watermarks.Interval", Valid with { Watermarks = new KafkaWatermarkOptions { Interval = TimeSpan.Zero } } },
        { "Watermarks.IdleTimeout", Valid with { Watermarks = new KafkaWatermarkOptions { IdleTimeout = TimeSpan.Zero } } },
        { "enable.auto.commit", Valid with { ConsumerConfig = new Dictionary<string, string> { ["enable.auto.commit"] = "true" } } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Options_Invalid_MessageNamesTheSetting(string setting, KafkaSourceOptions options)
    {
        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsumerConfig_Defaults_ReadCommittedWithoutAutoCommit()
    {
        var config = KafkaConsumerSettings.Build(Valid, needsTimestamp: true, needsTopicName: false);

        Assert.Equal("read_committed", config["isolation.level"]);
        Assert.Equal("false", config["enable.auto.commit"]);
        Assert.Equal("false", config["enable.auto.offset.store"]);
        Assert.Equal("timestamp", config["dotnet.consumer.consume.result.fields"]);
    }

    [Fact]
    public void ConsumerConfig_UserOverride_WinsOverDefaults()
    {
        var options = Valid with { ConsumerConfig = new Dictionary<string, string> { ["isolation.level"] = "read_uncommitted", ["fetch.min.bytes"] = "1" } };

        var config = KafkaConsumerSettings.Build(options, needsTimestamp: false, needsTopicName: false);

        Assert.Equal("read_uncommitted", config["isolation.level"]);
        Assert.Equal("1", config["fetch.min.bytes"]);
        Assert.Equal("none", config["dotnet.consumer.consume.result.fields"]);
    }
}
