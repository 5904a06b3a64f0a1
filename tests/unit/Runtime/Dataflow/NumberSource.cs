using Etl.Pipeline;

namespace Etl.Tests.Unit.Runtime.Dataflow;

/// <summary>
/// Emits 0..limit-1 (its share: n mod parallelism == subtask), each with event time n and a watermark
/// after it; unless <paramref name="endless"/>, then ends. Endless sources emit until the probe saw
/// three completed checkpoints. No state: these tests do not restore.
/// </summary>
public sealed class NumberSource(DataflowProbe probe, int limit, bool endless = false) : ISource<long>
{
    private long _next;
    private int _parallelism = 1;

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        _next = context!.SubtaskIndex;
        _parallelism = context.Parallelism;
        return ValueTask.CompletedTask;
    }

    public async ValueTask<SourcePollResult> PollAsync(ISourceOutput<long> output, CancellationToken cancellationToken)
    {
        if (_next >= limit)
        {
            if (endless && !probe.ThreeCheckpointsCompleted.Task.IsCompleted)
            {
                await Task.Yield();
                return SourcePollResult.NothingAvailable;
            }

            return SourcePollResult.EndOfInput;
        }

        output!.Collect(_next, _next);
        output.EmitWatermark(new Watermark(_next));
        _next += _parallelism;
        return SourcePollResult.MoreAvailable;
    }

    public ValueTask DisposeAsync()
    {
        probe.OnDisposed();
        return ValueTask.CompletedTask;
    }
}
