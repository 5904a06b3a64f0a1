using Etl.Worker.Demo;

namespace Etl.Bench;

/// <summary>
/// Orders from the demo generator (<see cref="OrderStream"/>) with event time = wall-clock time: a backlog whose
/// event times end now, and a live feed that produces one second's worth of orders at a fixed rate every second.
/// </summary>
internal sealed class EndToEndFeed(string bootstrapServers, string topic, int customers, int rate)
{
    private int _seed = 1;

    public long Produced { get; private set; }

    public async Task SeedBacklogAsync(int orders, CancellationToken cancellationToken)
    {
        var start = DateTimeOffset.UtcNow - (Step * orders);
        await ProduceAsync(start, orders, cancellationToken);
    }

    /// <summary>
    /// Produces <c>rate</c> orders per second until cancelled, in chunks every <see cref="Chunk"/> whose event times
    /// span the chunk just past (never the future: a watermark ahead of the wall clock would flatter the latency).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Chunk);
        var next = DateTimeOffset.UtcNow;
        var perChunk = (int)(rate * Chunk.TotalSeconds);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await ProduceAsync(next, perChunk, cancellationToken);
                next += Chunk;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The feed ends by cancellation.
        }
    }

    public static TimeSpan Chunk { get; } = TimeSpan.FromMilliseconds(200);

    private TimeSpan Step => TimeSpan.FromSeconds(1.0 / rate);

    private async Task ProduceAsync(DateTimeOffset start, int count, CancellationToken cancellationToken)
    {
        var options = new OrderStreamOptions
        {
            Count = count,
            Seed = _seed++,
            Customers = customers,
            Partitions = EndToEndBenchmark.Partitions,
            Start = start,
            Step = Step,
            Jitter = EndToEndBenchmark.OutOfOrderness / 2,
            LateBy = TimeSpan.FromMinutes(5),
        };
        await OrderProducer.ProduceAsync(bootstrapServers, topic, OrderStream.Generate(options), null, cancellationToken);
        Produced += count;
    }
}
