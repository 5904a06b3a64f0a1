using System.Globalization;
using Etl.Connectors.Kafka;
using Etl.Worker.Configuration;

namespace Etl.Bench;

/// <summary>
/// <c>./bench.sh e2e [--orders N] [--customers C] [--rate R] [--seconds S] [--kills K]</c>: the order-total job end to end
/// (Kafka → windows → 2PC PostgreSQL) against its consume ceilings. Needs ETL_POSTGRES (<c>etl dev up</c>, then source
/// .local/services.env); Kafka from KAFKA_BOOTSTRAP_SERVERS or its own <c>etl dev kafka</c> child process.
/// </summary>
internal sealed class EndToEndBenchmark : IBenchmark
{
    public const int Partitions = 4;

    public static readonly TimeSpan WindowSize = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan OutOfOrderness = TimeSpan.FromMilliseconds(500);

    public string Name => "e2e";

    public string Description => "order-total job end to end vs kcat and a bare consume loop; checkpoint stall, recovery, latency; needs ETL_POSTGRES";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var postgres = Environment.GetEnvironmentVariable("ETL_POSTGRES");
        if (string.IsNullOrEmpty(postgres))
        {
            await Console.Error.WriteLineAsync("Set ETL_POSTGRES to an Npgsql connection string (etl dev up writes it to .local/services.env).");
            return 2;
        }

        // The mock keeps about 5 MB per partition (observed 38,745 records of 100 B); an order record is about
        // 100 B of JSON + a 7 B key + overhead, so 30,000 per partition stays clear of trimming.
        var orders = (int)Arg(args, "--orders", 120_000);
        var customers = (int)Arg(args, "--customers", 100_000);
        var rate = (int)Arg(args, "--rate", 10_000);
        var live = TimeSpan.FromSeconds(Arg(args, "--seconds", 30));
        var kills = (int)Arg(args, "--kills", 3);
        using var cluster = await KafkaBenchCluster.StartAsync(cancellationToken);
        var directory = Path.Combine(Path.GetTempPath(), $"etl-e2e-{Guid.NewGuid():N}");
        var setup = new EndToEndSetup(cluster, postgres, orders, customers, rate, live, directory);
        Console.WriteLine($"kafka: {cluster.BootstrapServers} ({cluster.Origin}); librdkafka {KafkaNativeLibrary.Version}; {Environment.ProcessorCount} cores; load {Load()}");
        Console.WriteLine($"{Partitions} partitions, {customers:N0} customers, backlog {orders:N0} orders, live feed {rate:N0} orders/s for {live.TotalSeconds:F0} s per run, " +
            $"tumbling {WindowSize.TotalSeconds:F0} s windows, out-of-orderness {OutOfOrderness.TotalMilliseconds:F0} ms, allowed lateness 0");

        var topic = $"e2e-ceiling-{Guid.NewGuid():N}";
        await cluster.CreateTopicAsync(topic, Partitions, cancellationToken);
        using (var seed = new EndToEndFeed(cluster.BootstrapServers, topic, customers, rate))
        {
            await seed.SeedBacklogAsync(orders, cancellationToken);
        }

        var stored = cluster.CountRecords(topic, Partitions);
        if (stored != orders)
        {
            Console.WriteLine($"warning: the topic holds {stored:N0} of {orders:N0} orders (the mock trimmed); lower --orders");
            return 1;
        }

        var kcat = await EndToEndCeilings.KcatAsync(cluster.BootstrapServers, topic, orders, cancellationToken);
        var bare = Enumerable.Range(0, 3).Select(_ => EndToEndCeilings.BareLoop(cluster.BootstrapServers, topic, orders, cancellationToken)).MaxBy(b => b.Rate);

        // Warm-up (JIT, Npgsql pools, the mock's first topics): one bounded run whose figures are not used.
        await EndToEndJobRun.BacklogAsync(setup, "warm-up (not counted)", DeliveryGuarantee.ExactlyOnce, TimeSpan.FromSeconds(1), cancellationToken);
        var eo10 = await EndToEndJobRun.RunAsync(setup, "exactly-once 10 s", DeliveryGuarantee.ExactlyOnce, TimeSpan.FromSeconds(10), cancellationToken);
        var alo10 = await EndToEndJobRun.RunAsync(setup, "at-least-once 10 s", DeliveryGuarantee.AtLeastOnce, TimeSpan.FromSeconds(10), cancellationToken);
        var eo1 = await EndToEndJobRun.RunAsync(setup, "exactly-once 1 s", DeliveryGuarantee.ExactlyOnce, TimeSpan.FromSeconds(1), cancellationToken);
        var alo1 = await EndToEndJobRun.RunAsync(setup, "at-least-once 1 s", DeliveryGuarantee.AtLeastOnce, TimeSpan.FromSeconds(1), cancellationToken);
        var (restarts, bareRestarts, dotnetRestarts) = await EndToEndRecovery.RunAsync(setup, kills, cancellationToken);

        Console.WriteLine();
        Console.WriteLine($"load after the run: {Load()}");
        Console.WriteLine("| run | backlog rec/s | CPU s / M records | checkpoints in live phase | stall / wall | p50 latency / interval | p99 latency / interval |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Console.WriteLine($"| kcat | {kcat:N0} | - | - | - | - | - |");
        Console.WriteLine($"| bare Confluent.Kafka loop + order parser (best of 3) | {bare.Rate:N0} | {bare.CpuPerMillion:F2} | - | - | - | - |");
        foreach (var r in new[] { eo10, alo10, eo1, alo1 })
        {
            Console.WriteLine(
                $"| {r.Label} | {r.Rate:N0} | {r.CpuSecondsPerMillion:F2} | {r.Snapshots} (longest {r.LongestSnapshot.TotalMilliseconds:F1} ms) | {r.StallRatio:F5} | " +
                $"{r.P50Ms:F0} ms / {r.P50Ms / r.Interval.TotalMilliseconds:F3} | {r.P99Ms:F0} ms / {r.P99Ms / r.Interval.TotalMilliseconds:F3} ({r.Windows} windows) |");
        }

        var bareRestart = bareRestarts.Order().ElementAt(bareRestarts.Count / 2);
        var budget = bareRestart + EndToEndRecovery.Interval;
        var dotnetRestart = dotnetRestarts.Order().ElementAt(dotnetRestarts.Count / 2);
        var dotnetBudget = dotnetRestart + EndToEndRecovery.Interval;
        Console.WriteLine();
        Console.WriteLine("| ratio | figure | target |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| exactly-once 10 s / bare loop | {eo10.Rate / bare.Rate:F3} | >= 0.7 |");
        Console.WriteLine($"| exactly-once / at-least-once, 1 s | {eo1.Rate / alo1.Rate:F3} | >= 0.93 |");
        Console.WriteLine($"| exactly-once / at-least-once, 10 s | {eo10.Rate / alo10.Rate:F3} | >= 0.97 |");
        Console.WriteLine($"| checkpoint stall / wall, exactly-once 1 s | {eo1.StallRatio:F5} | <= 0.02 |");
        foreach (var restart in restarts)
        {
            Console.WriteLine($"| recovery {restart.TotalSeconds:F2} s / (kcat restart {bareRestart.TotalSeconds:F2} s + 1 s interval) | {restart / budget:F3} | <= 1.5 |");
            Console.WriteLine($"| recovery {restart.TotalSeconds:F2} s / (.NET consumer process restart {dotnetRestart.TotalSeconds:F2} s + 1 s interval) | {restart / dotnetBudget:F3} | <= 1.5 |");
        }

        Console.WriteLine($"| p99 latency / interval, exactly-once 1 s | {eo1.P99Ms / 1000:F3} | <= 1.5 |");
        Console.WriteLine($"| p99 latency / interval, exactly-once 10 s | {eo10.P99Ms / 10_000:F3} | <= 1.5 |");
        Console.WriteLine($"kcat restarts (s): {string.Join(", ", bareRestarts.Select(b => b.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)))}");
        Console.WriteLine($".NET consumer restarts (s): {string.Join(", ", dotnetRestarts.Select(b => b.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))}");
        return 0;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";

    private static long Arg(string[] args, string name, long fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
