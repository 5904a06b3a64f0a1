using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Tests.Unit.Runtime.ExactlyOnce;

namespace Etl.Tests.Unit.Runtime.RestorePoints;

/// <summary>
/// One partition of numbered records, released by the test through <paramref name="gate"/>: it emits offsets up to
/// <see cref="SourceGate.Allowed"/>, then waits; at <see cref="SourceGate.End"/> it reports end of input.
/// State: the next offset.
/// </summary>
public sealed class GatedSource(SourceGate gate) : ISource<string>
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

    public async ValueTask<SourcePollResult> PollAsync(ISourceOutput<string> output, CancellationToken cancellationToken)
    {
        if (_next >= gate.End)
        {
            return SourcePollResult.EndOfInput;
        }

        if (_next >= gate.Allowed)
        {
            await Task.Yield();
            return SourcePollResult.NothingAvailable;
        }

        output!.Collect($"o{_next}", _next);
        _next++;
        gate.Emitted = _next;
        return SourcePollResult.MoreAvailable;
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(OperatorSnapshot.Of(TestStateCodec.EncodePairs([new(0, _next)])));
}
