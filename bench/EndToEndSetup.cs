using Etl.Worker.Configuration;

namespace Etl.Bench;

/// <summary>The benchmark's arguments and services, and the worker options of each run (own job, topic, schema, checkpoints).</summary>
internal sealed record EndToEndSetup(KafkaBenchCluster Cluster, string Postgres, int Orders, int Customers, int Rate, TimeSpan LiveTime, string Directory)
{
    public WorkerOptions Options(string id, string topic, TimeSpan interval, DeliveryGuarantee mode) => new()
    {
        JobName = $"e2e-{id}",
        Kafka = new KafkaSettings { BootstrapServers = Cluster.BootstrapServers, Topic = topic },
        Postgres = new PostgresSettings { ConnectionString = Postgres, Table = $"e2e_{id}.order_totals", SinkSchema = $"e2e_{id}" },
        Window = new WindowSettings { Size = EndToEndBenchmark.WindowSize, OutOfOrderness = EndToEndBenchmark.OutOfOrderness },
        Checkpoints = new CheckpointSettings { Interval = interval, Mode = mode, Directory = Path.Combine(Directory, id) },
    };
}
