using Etl.Hosting.Configuration;
using Etl.Pipeline.Checkpointing;
using Etl.Samples.OrderTotals.Configuration;

namespace Etl.Bench;

/// <summary>The benchmark's arguments and services, and the worker options of each run (own job, topic, schema, checkpoints).</summary>
internal sealed record EndToEndSetup(KafkaBenchCluster Cluster, string Postgres, int Orders, int Customers, int Rate, TimeSpan LiveTime, string Directory)
{
    /// <summary>Orders a mock partition holds safely: it keeps about 5 MB (observed 38,745 records of 100 B) and trims older records.</summary>
    public const int OrdersPerPartition = 30_000;

    /// <summary>The worker's Etl:Window:WatermarkInterval (default 200 ms; <c>--watermark-interval MS</c>).</summary>
    public TimeSpan WatermarkInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Etl:Kafka:Consumer overrides (<c>--fetch-wait MS</c> sets fetch.wait.max.ms; the source's default is 100).</summary>
    public Dictionary<string, string> ConsumerOverrides { get; init; } = [];

    /// <summary>The worker's Etl:Parallelism (default 1; <c>--parallelism N</c>): subtasks of the source, the window and the sink, each sink subtask on its own connection.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>
    /// Partitions of the backlog topics: 4 as issue 8 asks, or more when the backlog would not fit the mock's ~5 MB
    /// per partition. The live and recovery topics use 4.
    /// </summary>
    public int BacklogPartitions => Math.Max(EndToEndBenchmark.Partitions, (Orders + OrdersPerPartition - 1) / OrdersPerPartition);

    public EndToEndJob Options(string id, string topic, TimeSpan interval, CheckpointingMode mode, TimeSpan? windowSize = null) => new(
        new OrderTotalsSettings(
            $"e2e-{id}",
            new KafkaSettings { BootstrapServers = Cluster.BootstrapServers, Topic = topic, Consumer = ConsumerOverrides },
            new PostgresSettings { ConnectionString = Postgres, Table = $"e2e_{id}.order_totals", SinkSchema = $"e2e_{id}" },
            new WindowSettings
            {
                Size = windowSize ?? EndToEndBenchmark.WindowSize,
                OutOfOrderness = EndToEndBenchmark.OutOfOrderness,
                WatermarkInterval = WatermarkInterval,
            }),
        new WorkerOptions
        {
            JobName = $"e2e-{id}",
            Parallelism = Parallelism,
            Checkpoints = new CheckpointSettings { Interval = interval, Mode = mode, Directory = Path.Combine(Directory, id) },
        });
}
