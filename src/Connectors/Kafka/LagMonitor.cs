using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Etl.Worker.Job;

/// <summary>
/// Publishes consumer lag per partition (etl.kafka.consumer_lag): the partition's high watermark minus the
/// offset committed to the job's consumer group, which the source commits when a checkpoint completes.
/// Monitoring only: a failed query is logged and retried on the next round.
/// </summary>
internal sealed partial class LagMonitor(Func<KafkaOffsetProbe> probe, string topic, TimeSpan interval, ILogger<LagMonitor> logger)
{
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
            WorkerMetrics.SetLag(topic, committed.Partition.Value, Math.Max(0, high - from));
        }
    }

    [LoggerMessage(EventId = 110, EventName = "ConsumerLagUnavailable", Level = LogLevel.Debug, Message = "Consumer lag could not be measured: {Reason}")]
    private static partial void LogLagUnavailable(ILogger logger, string reason);
}
