using Confluent.Kafka;
using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Makes a Kafka source bounded (Flink's <c>setBounded(OffsetsInitializer.latest())</c>): when it opens, it
/// takes the end offset of each partition the subtask reads, and ends the input once every one of them is
/// read up to there. The job then fires every window and takes a final checkpoint. Records produced after
/// the source opened may still be read in the last batch; they are processed like any other.
/// </summary>
/// <param name="inner">The Kafka source made bounded.</param>
/// <param name="probe">Creates the offset client that reads the end offsets when the source opens.</param>
public sealed class EndBoundedSource<T>(KafkaSource<T> inner, Func<KafkaOffsetProbe> probe) : ISource<T>
{
    private Dictionary<(string Topic, int Partition), long> _ends = [];
    private bool _ended;

    public async ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        await inner.OpenAsync(context, cancellationToken);
        var positions = inner.Positions;
        _ends = await Task.Run(
            () =>
            {
                using var offsets = probe();
                return positions.ToDictionary(p => (p.Topic, p.Partition), p => offsets.HighWatermark(new TopicPartition(p.Topic, p.Partition)));
            },
            cancellationToken);
    }

    public async ValueTask<SourcePollResult> PollAsync(ISourceOutput<T> output, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return SourcePollResult.EndOfInput;
        }

        var result = await inner.PollAsync(output, cancellationToken);
        if (result != SourcePollResult.MoreAvailable && inner.Positions.All(p => p.NextOffset >= _ends.GetValueOrDefault((p.Topic, p.Partition))))
        {
            _ended = true;
            return SourcePollResult.EndOfInput;
        }

        return result;
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.SnapshotStateAsync(checkpointId, cancellationToken);

    public ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.NotifyCheckpointCompleteAsync(checkpointId, cancellationToken);

    public ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        inner.NotifyCheckpointAbortedAsync(checkpointId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
