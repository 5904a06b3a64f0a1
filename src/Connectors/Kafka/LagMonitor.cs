using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Publishes consumer lag per partition (etl.kafka.consumer_lag): the partition's high watermark minus the
/// offset committed to the job's consumer group, which the source commits when a checkpoint completes.
/// Monitoring only: a failed query is logged and retried on the next round. A hosted job runs it as one of its
/// plan's monitors.
/// </summary>
/// <param name="probe">Creates the offset client (called once, off the caller's thread).</param>
/// <param name="topic">The topic whose partitions are measured.</param>
/// <param name="interval">Time between two measurements.</param>
/// <param name="logger">Where failed measurements are logged (debug).</param>
public sealed partial class LagMonitor(Func<KafkaOffsetProbe> probe, string topic, TimeSpan interval, ILogger<LagMonitor> logger)
{
    /// <summary>Measures every <c>interval</c> until cancelled (ends with <see cref="OperationCanceledException"/>).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var offsets = await Task.Run(probe, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Run(() => Measure(offsets), cancellationToken);
            }
            catch (KafkaException e)
            {
                LogLagUnavailable(logger, e.Error.Reason);
            }

            await Task.Delay(interval, cancellationToken);
        }
    }

    private void Measure(KafkaOffsetProbe offsets)
    {
        var partitions = offsets.Partitions(topic);
        if (partitions.Count == 0)
        {
            return;
        }

        foreach (var committed in offsets.Committed(partitions))
        {
            var high = offsets.HighWatermark(committed.TopicPartition);
            var from = committed.Offset.Value >= 0 ? committed.Offset.Value : 0;
            KafkaSourceMetrics.SetLag(topic, committed.Partition.Value, Math.Max(0, high - from));
        }
    }

    [LoggerMessage(EventId = 110, EventName = "ConsumerLagUnavailable", Level = LogLevel.Debug, Message = "Consumer lag could not be measured: {Reason}")]
    private static partial void LogLagUnavailable(ILogger logger, string reason);
}
