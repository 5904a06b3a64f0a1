using Etl.Pipeline;

namespace Etl.Tests.Unit.Api;

/// <summary>
/// Emits its share of <paramref name="items"/> (item i goes to subtask i mod parallelism) in order, each followed by a
/// watermark at its event time, then ends. No state: these tests do not restore.
/// </summary>
public sealed class ListSource<T>(IReadOnlyList<(T Value, long Timestamp)> items) : ISource<T>
{
    private int _next;
    private int _parallelism = 1;

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        _next = context.SubtaskIndex;
        _parallelism = context.Parallelism;
        return ValueTask.CompletedTask;
    }

    public ValueTask<SourcePollResult> PollAsync(ISourceOutput<T> output, CancellationToken cancellationToken)
    {
        if (_next >= items.Count)
        {
            return ValueTask.FromResult(SourcePollResult.EndOfInput);
        }

        var (value, timestamp) = items[_next];
        output.Collect(value, timestamp);
        output.EmitWatermark(new Watermark(timestamp));
        _next += _parallelism;
        return ValueTask.FromResult(SourcePollResult.MoreAvailable);
    }
}
