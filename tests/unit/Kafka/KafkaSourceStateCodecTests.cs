using System.Text;
using Etl.Connectors.Kafka;

namespace Etl.Tests.Unit.Kafka;

public sealed class KafkaSourceStateCodecTests
{
    [Fact]
    public void State_RoundTrips_WithNoTimestampSeen()
    {
        var state = new KafkaSourceState(KafkaSourceState.CurrentVersion,
            [new KafkaPartitionState("orders", 3, 12_345, 1_700_000_000_000), new KafkaPartitionState("orders", 4, 0, long.MinValue)]);

        var back = KafkaSourceStateCodec.Deserialize(KafkaSourceStateCodec.Serialize(state), 0);

        Assert.Equal(state.Version, back.Version);
        Assert.Equal(state.Partitions, back.Partitions);
    }

    [Fact]
    public void State_FromAnotherVersion_IsRefusedWithTheVersionInTheMessage()
    {
        var data = Encoding.UTF8.GetBytes("""{"version":99,"partitions":[]}""");

        var e = Assert.Throws<KafkaSourceException>(() => KafkaSourceStateCodec.Deserialize(data, 2));

        Assert.Contains("version 99", e.Message, StringComparison.Ordinal);
        Assert.Contains("subtask 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void State_Garbage_IsRefused() =>
        Assert.Throws<KafkaSourceException>(() => KafkaSourceStateCodec.Deserialize([1, 2, 3], 0));
}
