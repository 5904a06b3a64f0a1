using System.Diagnostics;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Faults;
using Etl.Pipeline.Runtime;
using Etl.Worker.Configuration;
using Etl.Worker.Job;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Bench;

/// <summary>
/// One configuration of the order-total job, in-process, built by <see cref="OrderTotalsJob"/> as the worker builds it:
/// catch up on a backlog of orders (throughput, CPU), then a live feed at a fixed rate for a fixed wall time
/// (checkpoint stall, event-time latency), then stop with a savepoint (nothing stays prepared).
/// </summary>
internal static class EndToEndJobRun
{
    public static async Task<EndToEndResult> RunAsync(EndToEndSetup setup, string label, DeliveryGuarantee mode, TimeSpan interval, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var topic = $"e2e-{id}";
        await setup.Cluster.CreateTopicAsync(topic, EndToEndBenchmark.Partitions, cancellationToken);
        var feed = new EndToEndFeed(setup.Cluster.BootstrapServers, topic, setup.Customers, setup.Rate);
        await feed.SeedBacklogAsync(setup.Orders, cancellationToken);
        var options = setup.Options(id, topic, interval, mode);
        await TotalsTable.EnsureAsync(options.Postgres.ConnectionString, options.Postgres.Table, cancellationToken);
        using var storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(options.Checkpoints.Directory));
        EndToEndTimedSource? timed = null;
        var fatal = new FatalFailures();
        var graph = OrderTotalsJob.Build(
            options, NullLoggerFactory.Instance, FaultInjector.None, new JobReadiness(options.Parallelism), fatal,
            source => timed = new EndToEndTimedSource(source, setup.Orders));
        var runner = new JobRunner(graph, OrderTotalsJob.RuntimeOptions(options), storage, TimeProvider.System, NullLoggerFactory.Instance,
            RestartPolicy.Create(options.Restart, TimeProvider.System, fatal));
        var run = runner.RunAsync(cancellationToken);
        var deadline = Stopwatch.StartNew();
        while (timed is not { TargetTicks: not 0 })
        {
            if (run.IsCompleted || deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                await run;
                throw new InvalidOperationException($"{label}: the job did not read the {setup.Orders:N0} backlog orders within 3 minutes.");
            }

            await Task.Delay(10, cancellationToken);
        }

        var catchUp = Stopwatch.GetElapsedTime(timed.FirstRecordTicks, timed.TargetTicks);
        var cpu = timed.TargetCpu - timed.FirstRecordCpu;

        timed.ResetStall();
        var liveFrom = DateTime.UtcNow;
        var probe = new EndToEndLatencyProbe(options.Postgres.ConnectionString, options.Postgres.Table);
        using var live = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var feeding = feed.RunAsync(live.Token);
        var probing = probe.RunAsync(liveFrom, live.Token);
        var wall = Stopwatch.StartNew();
        await Task.Delay(setup.LiveTime, cancellationToken);
        var stall = timed.Stall;
        var snapshots = timed.Snapshots;
        var longest = timed.LongestSnapshot;
        wall.Stop();
        await live.CancelAsync();
        await feeding;
        await probing;
        var liveRecords = timed.Records - setup.Orders;
        await runner.StopWithSavepointAsync(cancellationToken);
        await run;
        var result = new EndToEndResult(
            label, interval, setup.Orders / catchUp.TotalSeconds, cpu.TotalSeconds / setup.Orders * 1_000_000,
            stall, wall.Elapsed, snapshots, longest, probe.Percentile(0.5), probe.Percentile(0.99), probe.LatenciesMs.Count, liveRecords / wall.Elapsed.TotalSeconds);
        Console.WriteLine(
            $"{label}: backlog {setup.Orders:N0} in {catchUp.TotalSeconds:F2} s = {result.Rate:N0} rec/s, CPU {result.CpuSecondsPerMillion:F2} s/M; " +
            $"live {wall.Elapsed.TotalSeconds:F1} s at {result.LiveRate:N0} rec/s read: {snapshots} snapshots, stall {stall.TotalMilliseconds:F1} ms " +
            $"(longest {longest.TotalMilliseconds:F1} ms); {probe.LatenciesMs.Count} windows, latency p50 {result.P50Ms:F0} ms p99 {result.P99Ms:F0} ms");
        return result;
    }
}
