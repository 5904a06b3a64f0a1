using Etl.Pipeline;

namespace Etl.Connectors.Kafka;

/// <summary>
/// A source subtask's watermark: per partition, max timestamp - out-of-orderness - 1; the subtask's is the
/// minimum over partitions that are not idle. A partition is idle once it delivered nothing for the idle
/// timeout (wall clock of the injected TimeProvider); when all are idle (or there are none) the subtask is.
/// </summary>
internal sealed class SubtaskWatermark(KafkaWatermarkOptions options)
{
    private readonly long _outOfOrdernessMs = (long)options.OutOfOrderness.TotalMilliseconds;
    private readonly TimeSpan? _idleTimeout = options.IdleTimeout;
    private Watermark _emitted = Watermark.Min;
    private bool _idle;

    public Watermark Current => _emitted;

    public bool IsIdle => _idle;

    /// <summary>Call after each poll, also an empty one, so idleness is noticed without records.</summary>
    public WatermarkStep Evaluate(IReadOnlyList<PartitionCursor> partitions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var anyActive = false;
        var receivedRecords = false;
        var min = long.MaxValue;
        foreach (var partition in partitions)
        {
            if (partition.HadRecords)
            {
                partition.LastActivity = now;
                partition.HadRecords = false;
                receivedRecords = true;
            }

            if (_idleTimeout is { } timeout && now - partition.LastActivity >= timeout)
            {
                continue;
            }

            anyActive = true;
            min = Math.Min(min, PartitionWatermark(partition.MaxTimestamp));
        }

        if (!anyActive)
        {
            // Emitted records un-idle the output (ISourceOutput contract), so re-announce idleness after them.
            if (_idle && !receivedRecords)
            {
                return WatermarkStep.None;
            }

            _idle = true;
            return new WatermarkStep(null, MarkIdle: true);
        }

        _idle = false;
        if (min != long.MinValue && min > _emitted.Timestamp)
        {
            _emitted = new Watermark(min);
            return new WatermarkStep(_emitted, MarkIdle: false);
        }

        return WatermarkStep.None;
    }

    private long PartitionWatermark(long maxTimestamp) =>
        maxTimestamp == long.MinValue ? long.MinValue : SaturatingSubtract(maxTimestamp, _outOfOrdernessMs + 1);

    private static long SaturatingSubtract(long value, long amount) =>
        value < long.MinValue + amount ? long.MinValue + 1 : value - amount;
}
