using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>
/// A bounded, replayable source over fixed partitions: subtask i reads the partitions p with
/// p mod parallelism == i; its state is the next offset per partition (operator state, found through
/// the union state so partitions may move between subtasks).
/// </summary>
public sealed class ReplayableSource(
    IReadOnlyList<IReadOnlyList<InputEvent>> partitions, FaultPlan faults, Random schedule, Action requestCheckpoint, int maxPerPoll)
    : ISource<InputEvent>
{
    private readonly Dictionary<int, int> _next = [];

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var restored = new Dictionary<int, long>();
        foreach (var state in context.Restored?.UnionOperatorState ?? [])
        {
            foreach (var (partition, offset) in TestStateCodec.DecodePairs(state.Data))
            {
                restored[partition] = offset;
            }
        }

        for (var p = 0; p < partitions.Count; p++)
        {
            if (SubtaskOwnership.Owns(context.SubtaskIndex, p, context.Parallelism))
            {
                _next[p] = (int)restored.GetValueOrDefault(p);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<SourcePollResult> PollAsync(ISourceOutput<InputEvent> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        faults.Hit(FaultPoint.SourcePoll);
        if (schedule.Next(4) == 0)
        {
            requestCheckpoint();
        }

        var emitted = 0;
        var budget = schedule.Next(1, maxPerPoll + 1);
        foreach (var partition in _next.Keys.ToList())
        {
            var events = partitions[partition];
            while (emitted < budget && _next[partition] < events.Count)
            {
                var e = events[_next[partition]];
                output.Collect(e, e.Offset);
                _next[partition]++;
                emitted++;
            }
        }

        return ValueTask.FromResult(emitted > 0 || _next.Any(n => n.Value < partitions[n.Key].Count)
            ? SourcePollResult.MoreAvailable
            : SourcePollResult.EndOfInput);
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        faults.Hit(FaultPoint.SourceSnapshot);
        return ValueTask.FromResult(OperatorSnapshot.Of(
            TestStateCodec.EncodePairs(_next.Select(n => new KeyValuePair<int, long>(n.Key, n.Value)))));
    }
}
