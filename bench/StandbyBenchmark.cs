using System.Diagnostics;
using System.Globalization;

namespace Etl.Bench;

/// <summary>
/// Standby takeover against restart in place, with checkpoints on S3 (the Ceph gateways of <c>etl dev up</c>, or the
/// store ETL_S3_ENDPOINTS names). A worker (<c>etl run</c>, 1 s checkpoints) runs the order-total job while a live feed
/// produces orders; once it has completed checkpoints it is SIGKILLed and timed from the kill to the first checkpoint
/// the next worker completes (its log's "Checkpoint N completed", N above every id of the killed worker), i.e. lock,
/// restore from S3, recovery of the prepared transactions, one interval and a full checkpoint to S3.
/// Takeover: the next worker is a standby (<c>--standby</c>) started beforehand and already waiting for the job lock.
/// Restart in place: a new <c>etl run</c> started right after the kill (what a supervisor does, without its delay).
/// Both kinds alternate over one job, feed and state size, so they see the same load.
/// </summary>
internal sealed class StandbyBenchmark : IBenchmark
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public string Name => "standby";

    public string Description => "standby takeover vs restart in place (SIGKILL -> first new completed checkpoint), S3 checkpoints; needs ETL_POSTGRES and ETL_S3_*";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var postgres = Environment.GetEnvironmentVariable("ETL_POSTGRES");
        var endpoints = Environment.GetEnvironmentVariable("ETL_S3_ENDPOINTS");
        var bucket = Environment.GetEnvironmentVariable("ETL_S3_BUCKET");
        if (string.IsNullOrEmpty(postgres) || string.IsNullOrEmpty(endpoints) || string.IsNullOrEmpty(bucket))
        {
            await Console.Error.WriteLineAsync(
                "Set ETL_POSTGRES, ETL_S3_ENDPOINTS and ETL_S3_BUCKET (and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY); etl dev up writes them to .local/services.env.");
            return 2;
        }

        var rounds = (int)BenchArgs.Number(args, "--rounds", 3);
        var rate = (int)BenchArgs.Number(args, "--rate", 2_000);
        var customers = (int)BenchArgs.Number(args, "--customers", 10_000);
        using var cluster = await KafkaBenchCluster.StartAsync(cancellationToken);
        var id = Guid.NewGuid().ToString("N")[..10];
        var job = $"standby-{id}";
        var topic = $"standby-{id}";
        await cluster.CreateTopicAsync(topic, EndToEndBenchmark.Partitions, cancellationToken);
        Console.WriteLine($"kafka: {cluster.BootstrapServers} ({cluster.Origin}); s3: {endpoints}, s3://{bucket}/bench-standby/{job}; {Environment.ProcessorCount} cores; load {Load()}");
        Console.WriteLine($"live feed {rate:N0} orders/s over {customers:N0} customers and {EndToEndBenchmark.Partitions} partitions; checkpoints every {Interval.TotalSeconds:F0} s; {rounds} rounds of (takeover, restart in place)");

        var arguments = new[]
        {
            "run", "--job", job, "--topic", topic, "--checkpoint-dir", $"s3://{bucket}/bench-standby/{job}", "--http-port", "-1",
            $"Etl:Checkpoints:S3:Endpoints={endpoints}", $"Etl:Postgres:Table=standby_{id}.order_totals", $"Etl:Postgres:SinkSchema=standby_{id}",
            $"Etl:Window:OutOfOrderness={EndToEndBenchmark.OutOfOrderness.TotalMilliseconds}", $"Etl:Checkpoints:Interval={Interval.TotalMilliseconds}",
        };
        var environment = new Dictionary<string, string> { ["KAFKA_BOOTSTRAP_SERVERS"] = cluster.BootstrapServers, ["ETL_POSTGRES"] = postgres };
        var dll = Path.Combine(AppContext.BaseDirectory, "etl.dll");
        var clock = Stopwatch.StartNew();
        StandbyBenchWorker Start(bool standby) =>
            StandbyBenchWorker.Start(dll, standby ? [.. arguments, "--standby"] : arguments, environment, clock);

        using var feed = new EndToEndFeed(cluster.BootstrapServers, topic, customers, rate);
        using var live = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var feeding = feed.RunAsync(live.Token);
        var takeovers = new List<TimeSpan>();
        var restarts = new List<TimeSpan>();
        var current = Start(standby: false);
        try
        {
            await current.WaitUntilAsync(w => w.HighestCompleted >= 2, "complete two checkpoints", cancellationToken);
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var standby in new[] { true, false })
                {
                    var next = standby ? Start(standby: true) : null;
                    if (next is not null)
                    {
                        await next.WaitUntilAsync(w => w.IsWaitingAsStandby, "wait as a standby", cancellationToken);
                    }

                    // Steady state before the kill: the worker has run some epochs since the previous switch.
                    await Task.Delay(TimeSpan.FromMilliseconds(2_500), cancellationToken);
                    var highest = current.HighestCompleted;
                    var killedAt = clock.Elapsed;
                    current.Kill();
                    await current.WaitForExitAsync(cancellationToken);
                    current.Dispose();
                    next ??= Start(standby: false);
                    current = next;
                    await current.WaitUntilAsync(w => w.FirstCompletedAbove(highest) is not null, $"complete a checkpoint above {highest}", cancellationToken);
                    var (reached, at) = current.FirstCompletedAbove(highest)!.Value;
                    var elapsed = at - killedAt;
                    (standby ? takeovers : restarts).Add(elapsed);
                    string After(TimeSpan? moment) => moment is { } m ? $"{(m - killedAt).TotalSeconds:F2} s" : "-";
                    Console.WriteLine(
                        $"round {round} {(standby ? "takeover  " : "restart   ")}: SIGKILL after chk-{highest}; lock taken by the standby {After(current.TookOverAt)}, " +
                        $"job started under the lock {After(current.StartedAt)}, chk-{reached} completed {elapsed.TotalSeconds:F2} s after the kill; load {Load()}");
                }
            }

            await current.TerminateAsync(cancellationToken);
        }
        finally
        {
            current.Dispose();
            await live.CancelAsync();
            await feeding;
        }

        var takeover = Median(takeovers);
        var restart = Median(restarts);
        Console.WriteLine();
        Console.WriteLine("| SIGKILL -> first new completed checkpoint (S3) | rounds (s) | median (s) |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| standby takeover | {Seconds(takeovers)} | {takeover:F2} |");
        Console.WriteLine($"| restart in place | {Seconds(restarts)} | {restart:F2} |");
        Console.WriteLine($"| takeover / restart (ratio of medians) | | {takeover / restart:F2} |");
        Console.WriteLine($"orders produced: {feed.Produced:N0}; load at the end {Load()}");
        return 0;
    }

    private static double Median(List<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalSeconds).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Seconds(List<TimeSpan> values) => string.Join(" / ", values.Select(v => v.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)));

    private static string Load() => EndToEndBenchmark.Load();
}
