using System.Threading.Channels;
using Etl.Pipeline;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;

namespace Etl.Tests.Unit.Runtime;

/// <summary>What one subtask's output puts on a channel: full batches, dead letters with them, control elements after both.</summary>
public sealed class EdgeOutputTests
{
    [Fact]
    public async Task DeadLetters_BetweenRecords_DoNotCutTheBatchAndStayBeforeTheBarrier()
    {
        var channel = Channel.CreateUnbounded<StreamElement<int>>();
        var output = new EdgeOutput<int>([channel.Writer], Partitioning.Forward, null, 0, 128, batchSize: 4, new BackPressureTimer("edge-test", 0));
        for (var i = 0; i < 10; i++)
        {
            output.Add(i, i);
            if (i % 3 == 0)
            {
                output.AddDeadLetter(Letter(i));
            }
        }

        output.AddToAll(StreamElement<int>.OfBarrier(new CheckpointBarrier(new CheckpointId(1), 0, CheckpointKind.Checkpoint)));
        output.AddDeadLetter(Letter(10));
        await output.FlushAsync(CancellationToken.None);

        var kinds = new List<string>();
        var records = new List<int>();
        var letters = new List<string>();
        while (channel.Reader.TryRead(out var element))
        {
            kinds.Add(element.Kind == StreamElementKind.Records ? $"Records({element.Count})" : element.Kind.ToString());
            if (element.Kind == StreamElementKind.Records)
            {
                records.AddRange(element.Records!.Take(element.Count).Select(r => r.Value));
                element.ReturnBatch();
            }
            else if (element.Kind == StreamElementKind.DeadLetters)
            {
                letters.AddRange(element.DeadLetters!.Select(d => d.Error));
            }
        }

        // Sealed only when full (4), at the barrier and at the flush: the five dead letters ride along in four elements
        // (one per sealed batch), the four collected before the barrier stay before it, the one after it stays after it.
        Assert.Equal(["Records(4)", "DeadLetters", "Records(4)", "DeadLetters", "Records(2)", "DeadLetters", "Barrier", "DeadLetters"], kinds);
        Assert.Equal(Enumerable.Range(0, 10), records);
        Assert.Equal(["0", "3", "6", "9", "10"], letters);
    }

    private static DeadLetter Letter(int i) => new(null, null, null, DeadLetterReasons.Validation, i.ToString(System.Globalization.CultureInfo.InvariantCulture), 0);
}
