using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Tests.Unit.Runtime.ExactlyOnce;

namespace Etl.Tests.Unit.Runtime.Savepoints;

/// <summary>
/// One partition of events (offset n, key 0, value 1), one per poll, up to <paramref name="limit"/>
/// (then end of input). Holds at <paramref name="holdAt"/> until <see cref="CounterProbe.Release"/>
/// is set, and reports when it got there. State: the next offset.
/// </summary>
public sealed class CounterSource(CounterProbe probe, int limit, int holdAt) : ISource<InputEvent>
{
    private int _next;

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        foreach (var state in context!.Restored?.UnionOperatorState ?? [])
        {
            _next = (int)TestStateCodec.DecodePairs(state.Data).Single().Value;
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<SourcePollResult> PollAsync(ISourceOutput<InputEvent> output, CancellationToken cancellationToken)
    {
        if (_next >= limit)
        {
            return SourcePollResult.EndOfInput;
        }

        if (_next >= holdAt && !probe.Release.Task.IsCompleted)
        {
            probe.Held.TrySetResult();
            await Task.Yield();
            return SourcePollResult.NothingAvailable;
        }

        output!.Collect(new InputEvent(0, _next, 0, 1), _next);
        _next++;
        return SourcePollResult.MoreAvailable;
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(OperatorSnapshot.Of(TestStateCodec.EncodePairs([new(0, _next)])));
}
