using System.Text;
using Confluent.Kafka;
using Etl.Pipeline;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Harness;
using static Etl.Tests.Integration.Kafka.KafkaSourceTestKit;

namespace Etl.Tests.Integration.Kafka;

public sealed class KafkaSourceDeadLetterTests
{
    [Fact]
    public async Task Source_MalformedRecord_BecomesDeadLetterAndLaterRecordsStillFlow()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(1, ct, "src-dlq");
        byte[] malformed = [0x6f, 0x6b, 0xff, 0xfe];
        using (var producer = Producer())
        {
            var tp = new TopicPartition(topic, 0);
            await producer.ProduceAsync(tp, new Message<byte[]?, byte[]?> { Key = "k0"u8.ToArray(), Value = "good-0"u8.ToArray() }, ct);
            await producer.ProduceAsync(tp, new Message<byte[]?, byte[]?> { Key = "bad-key"u8.ToArray(), Value = malformed }, ct);
            await producer.ProduceAsync(tp, new Message<byte[]?, byte[]?> { Key = "k2"u8.ToArray(), Value = "good-2"u8.ToArray() }, ct);
        }

        var output = new ListCollector<string>();
        var options = Options(topic);
        await using var source = await OpenAsync(options, Context(), ct);
        await PollUntilAsync(source, output, () => output.Records.Count + output.DeadLetters.Count >= 3, "two records and a dead letter", ct);
        await PollQuietlyAsync(source, output, ct);
        var snapshot = await source.SnapshotStateAsync(new CheckpointId(1), ct);

        Assert.Equal(["good-0", "good-2"], output.Values);
        var dead = Assert.Single(output.DeadLetters);
        Assert.Equal(new SourcePosition(topic, 0, 1), dead.Source);
        Assert.Equal(DeadLetterReasons.Deserialization, dead.Reason);
        Assert.Equal(malformed, dead.Value);
        Assert.Equal("bad-key", Encoding.UTF8.GetString(dead.Key!));
        Assert.False(string.IsNullOrWhiteSpace(dead.Error));
        // The dead letter counts as read: a restore does not see it again.
        Assert.Contains("\"nextOffset\":3", Encoding.UTF8.GetString(snapshot.OperatorState!), StringComparison.Ordinal);
    }
}
