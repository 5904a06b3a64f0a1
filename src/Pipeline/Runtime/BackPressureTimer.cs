using System.Diagnostics;
using Etl.Pipeline.Metrics;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// Back-pressure of one subtask: the time it waited to hand elements to a downstream channel that was full
/// (Flink's back-pressured time). Only a write that has to wait is timed, so the hot path, where
/// <c>TryWrite</c> succeeds, costs nothing. Recorded as <c>etl.subtask.backpressured_time</c> (ms, by operator
/// and subtask). Used by the subtask's own loop only.
/// </summary>
internal sealed class BackPressureTimer
{
    private readonly KeyValuePair<string, object?>[] _tags;

    public BackPressureTimer(string operatorId, int subtaskIndex) =>
        _tags = [new("operator", operatorId), new("subtask", subtaskIndex)];

    /// <summary>Writes <paramref name="element"/> to <paramref name="writer"/>, timing the wait when the channel is full.</summary>
    public async ValueTask WriteAsync<T>(System.Threading.Channels.ChannelWriter<T> writer, T element, CancellationToken cancellationToken)
    {
        if (writer.TryWrite(element))
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await writer.WriteAsync(element, cancellationToken);
        }
        finally
        {
            PipelineMetrics.BackPressured(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _tags);
        }
    }
}
