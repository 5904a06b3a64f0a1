using System.Threading.Channels;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Runtime;

namespace Etl.Tests.Unit.Runtime.Alignment;

/// <summary>
/// The alignment mechanism on its own, with both channels filled up front so the outcome does not
/// depend on scheduling: channel 0 holds [barrier 1, a, b], channel 1 holds [x, barrier 1, y].
/// </summary>
public sealed class BarrierAlignerTests
{
    [Fact]
    public async Task ExactlyOnce_ChannelPastItsBarrier_IsNotReadUntilEveryChannelDeliveredIt()
    {
        var order = await ReadAllAsync(CheckpointingMode.ExactlyOnce);

        Assert.Equal(["barrier@0", "x", "barrier@1 -> snapshot", "a", "y", "b"], order);
    }

    [Fact]
    public async Task AtLeastOnce_ChannelPastItsBarrier_IsReadOnAndTheSnapshotWaitsForTheLastBarrier()
    {
        var order = await ReadAllAsync(CheckpointingMode.AtLeastOnce);

        Assert.Equal(["barrier@0", "x", "a", "barrier@1 -> snapshot", "b", "y"], order);
    }

    private static async Task<List<string>> ReadAllAsync(CheckpointingMode mode)
    {
        var barrier = new CheckpointBarrier(new CheckpointId(1), 0, CheckpointKind.Checkpoint);
        var channels = new[] { Channel.CreateUnbounded<StreamElement<string>>(), Channel.CreateUnbounded<StreamElement<string>>() };
        Write(channels[0], StreamElement<string>.OfBarrier(barrier), Records("a"), Records("b"));
        Write(channels[1], Records("x"), StreamElement<string>.OfBarrier(barrier), Records("y"));
        var gate = new InputGate<string>([channels[0].Reader, channels[1].Reader]);
        var aligner = new BarrierAligner<string>(gate, mode);
        var mailbox = new Mailbox();
        var order = new List<string>();
        while (order.Count < 6)
        {
            var (_, channel, element) = await gate.ReadAsync(mailbox, CancellationToken.None);
            switch (element.Kind)
            {
                case StreamElementKind.Barrier:
                    order.Add(aligner.OnBarrier(channel, element.Barrier) ? $"barrier@{channel} -> snapshot" : $"barrier@{channel}");
                    break;
                case StreamElementKind.Records:
                    order.Add(element.Records![0].Value);
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected {element.Kind}.");
            }
        }

        return order;
    }

    private static StreamElement<string> Records(string value) => StreamElement<string>.OfRecords([new StreamRecord<string>(value, 0)], 1);

    private static void Write(Channel<StreamElement<string>> channel, params StreamElement<string>[] elements)
    {
        foreach (var element in elements)
        {
            channel.Writer.TryWrite(element);
        }
    }
}
