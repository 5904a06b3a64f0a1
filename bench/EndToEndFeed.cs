using Confluent.Kafka;
using Etl.Connectors.Kafka;
using Etl.Samples.OrderTotals.Demo;

namespace Etl.Bench;

/// <summary>
/// Orders from the demo generator (<see cref="OrderStream"/>) with event time = wall-clock time: a backlog whose
/// event times end now, and a live feed that produces one second's worth of orders at a fixed rate every second.
/// </summary>
internal sealed class EndToEndFeed(string bootstrapServers, string topic, int customers, int rate, int partitions = EndToEndBenchmark.Partitions) : IDisposable
{
    private readonly IProducer<string, byte[]> _producer = Producer(bootstrapServers);
    private int _seed = 1;

    public long Produced { get; private set; }

    /// <summary>Produces a backlog of <paramref name="orders"/> ending now; returns the generator's options, which regenerate it exactly.</summary>
    public async Task<OrderStreamOptions> SeedBacklogAsync(int orders, CancellationToken cancellationToken)
    {
        var start = DateTimeOffset.UtcNow - (Step * orders);
        return await ProduceAsync(start, orders, cancellationToken);
    }

    /// <summary>
    /// Produces <c>rate</c> orders per second until cancelled, in chunks about every <see cref="Chunk"/> whose event
    /// times span the wall-clock time just past, from the previous chunk's end to now (never the future: a watermark
    /// ahead of the wall clock would flatter the latency). Sizing each chunk by the time that really passed keeps
    /// event time on the wall clock when a tick comes late or the producer is slow; a fixed count per tick would
    /// let event time fall behind, and that lag would be counted as the job's latency.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Chunk);
        var from = DateTimeOffset.UtcNow;
        var owed = 0.0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = DateTimeOffset.UtcNow;
                owed += rate * (now - from).TotalSeconds;
                var count = (int)owed;
                if (count > 0)
                {
                    owed -= count;
                    await ProduceAsync(from, count, cancellationToken, (now - from) / count);
                }

                from = now;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The feed ends by cancellation.
        }
    }

    public static TimeSpan Chunk { get; } = TimeSpan.FromMilliseconds(50);

    private TimeSpan Step => TimeSpan.FromSeconds(1.0 / rate);

    private async Task<OrderStreamOptions> ProduceAsync(DateTimeOffset start, int count, CancellationToken cancellationToken, TimeSpan? step = null)
    {
        var options = new OrderStreamOptions
        {
            Count = count,
            Seed = _seed++,
            Customers = customers,
            Partitions = partitions,
            Start = start,
            Step = step ?? Step,
            Jitter = EndToEndBenchmark.OutOfOrderness / 2,
            LateBy = TimeSpan.FromMinutes(5),
        };
        foreach (var record in OrderStream.Generate(options))
        {
            var message = new Message<string, byte[]> { Key = record.Key, Value = record.Value };
            while (true)
            {
                try
                {
                    _producer.Produce(new TopicPartition(topic, record.Partition), message);
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    _producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        await Task.Run(() => _producer.Flush(cancellationToken), cancellationToken);
        Produced += count;
        return options;
    }

    public void Dispose() => _producer.Dispose();

    // One producer for the feed's life (the demo's OrderProducer builds one per call, too slow for a paced feed).
    private static IProducer<string, byte[]> Producer(string bootstrapServers)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 5, Acks = Acks.Leader, EnableIdempotence = false };
        return new ProducerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }
}
