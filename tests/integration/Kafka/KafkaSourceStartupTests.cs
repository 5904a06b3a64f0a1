using Etl.Connectors.Kafka;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Integration.Kafka.KafkaSourceTestKit;

namespace Etl.Tests.Integration.Kafka;

public sealed class KafkaSourceStartupTests
{
    [Fact]
    public async Task Open_MissingTopic_FailsNamingTheTopicsSetting()
    {
        var ct = TestDeadline.Token();
        var missing = $"missing-{Guid.NewGuid():N}";

        var e = await Assert.ThrowsAsync<KafkaSourceException>(() => OpenAsync(Options(missing), Context(), ct));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("KafkaSourceOptions.Topics", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_UnreachableBroker_FailsWithinTheOpenTimeoutNamingBootstrapServers()
    {
        var ct = TestDeadline.Token();
        var options = Options("any") with { BootstrapServers = "127.0.0.1:1", OpenTimeout = TimeSpan.FromSeconds(3) };
        var started = DateTime.UtcNow;

        var e = await Assert.ThrowsAsync<KafkaSourceException>(() => OpenAsync(options, Context(), ct));

        Assert.Contains("KafkaSourceOptions.BootstrapServers", e.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "OpenAsync must give up within a bounded time.");
    }

    [Fact]
    public async Task Open_NoCheckpointStartLatest_ReadsOnlyNewRecords()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(1, ct, "src-latest");
        await ProduceAsync(topic, 0, ["old-0", "old-1"], ct);
        var output = new ListCollector<string>();
        await using var source = await OpenAsync(Options(topic) with { StartPosition = KafkaStartPosition.Latest }, Context(), ct);

        await ProduceAsync(topic, 0, ["new-0"], ct);
        await PollUntilAsync(source, output, () => output.Records.Count >= 1, "the new record", ct);
        await PollQuietlyAsync(source, output, ct);

        Assert.Equal(["new-0"], output.Values);
    }
}
