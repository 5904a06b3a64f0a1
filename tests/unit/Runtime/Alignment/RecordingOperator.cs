using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Runtime.Alignment;

/// <summary>Remembers what it processed; its snapshot n is that list at barrier n.</summary>
public sealed class RecordingOperator(AlignmentProbe probe) : IOperator<Tagged, Tagged>
{
    private readonly List<Tagged> _processed = [];

    public ValueTask ProcessAsync(StreamRecord<Tagged> input, ICollector<Tagged> output, CancellationToken cancellationToken)
    {
        _processed.Add(input.Value);
        probe.Processed.Enqueue(input.Value);
        if (input.Value is { Source: 0, Epoch: > 0 })
        {
            probe.OperatorSawPostBarrierRecord.TrySetResult();
        }

        output!.Collect(input.Value, input.Timestamp);
        return ValueTask.CompletedTask;
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        probe.Snapshots[checkpointId.Value] = [.. _processed];
        return ValueTask.FromResult(OperatorSnapshot.Empty);
    }
}
