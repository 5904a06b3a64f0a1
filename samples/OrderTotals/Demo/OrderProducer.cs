using Confluent.Kafka;
using Etl.Connectors.Kafka;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>
/// Writes generated orders to their partitions, in order, with an idempotent producer (a retried send never
/// duplicates or reorders a record), and waits for every delivery. Deliveries retry for a long time, so a
/// broker that is down for a while only delays them.
/// </summary>
internal static class OrderProducer
{
    public static async Task ProduceAsync(
        string bootstrapServers, string topic, IReadOnlyList<GeneratedOrder> records, Action<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            MessageTimeoutMs = 300_000,
        };
        using var producer = new ProducerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var delivered = 0;
        var sent = 0;
        Error? failure = null;
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var message = new Message<string, byte[]> { Key = record.Key, Value = record.Value };
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topic, record.Partition), message, report =>
                    {
                        if (report.Error.IsError)
                        {
                            failure ??= report.Error;
                        }
                        else
                        {
                            Interlocked.Increment(ref delivered);
                        }
                    });
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }

            if (++sent % 200 == 0)
            {
                // Serves delivery reports, so the progress shows deliveries as they happen.
                producer.Poll(TimeSpan.Zero);
                progress?.Invoke(Volatile.Read(ref delivered));
            }
        }

        await Task.Run(() =>
        {
            while (producer.Flush(TimeSpan.FromMilliseconds(200)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(Volatile.Read(ref delivered));
            }
        }, cancellationToken);
        progress?.Invoke(Volatile.Read(ref delivered));
        if (failure is { } error)
        {
            throw new KafkaException(error);
        }
    }
}
