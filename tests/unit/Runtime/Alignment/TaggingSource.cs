using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Runtime.Alignment;

/// <summary>
/// Subtask 0 is fast: five records, then (once it took snapshot 1) fifteen more, one per poll.
/// Subtask 1 is slow: one record, then its poll waits on a gate the test opens, so its barrier 1
/// arrives late at the operator.
/// </summary>
public sealed class TaggingSource(AlignmentProbe probe) : ISource<Tagged>
{
    private const int BeforeBarrier = 5;
    private const int Total = 20;
    private int _subtask;
    private int _seq;
    private int _epoch;

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        _subtask = context!.SubtaskIndex;
        return ValueTask.CompletedTask;
    }

    public async ValueTask<SourcePollResult> PollAsync(ISourceOutput<Tagged> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_subtask == 1)
        {
            if (_seq == 0)
            {
                output.Collect(new Tagged(1, _seq++, _epoch), 0);
                return SourcePollResult.MoreAvailable;
            }

            if (_epoch == 0)
            {
                probe.SlowSourceParked.TrySetResult();
                await probe.SlowSourceGate.Task.WaitAsync(cancellationToken);
                return SourcePollResult.NothingAvailable;
            }

            return SourcePollResult.EndOfInput;
        }

        if (_seq == BeforeBarrier && _epoch == 0)
        {
            probe.FastSourceReadyForCheckpoint.TrySetResult();
            await Task.Yield();
            return SourcePollResult.NothingAvailable;
        }

        if (_seq == Total)
        {
            probe.FastSourceDone.TrySetResult();
            return SourcePollResult.EndOfInput;
        }

        output.Collect(new Tagged(0, _seq++, _epoch), 0);
        return SourcePollResult.MoreAvailable;
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        _epoch++;
        return ValueTask.FromResult(OperatorSnapshot.Empty);
    }
}
