using System.Diagnostics;
using System.Globalization;
using Etl.Hosting.Job;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Runtime;
using Etl.Samples.OrderTotals.Demo;
using Etl.Samples.OrderTotals.Job;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Bench;

/// <summary>
/// One configuration of the order-total job, in-process, built by <see cref="OrderTotalsJob"/> as the worker builds it:
/// catch up on a backlog of orders (throughput, CPU), then a live feed at a fixed rate for a fixed wall time
/// (checkpoint stall, event-time latency), then stop with a savepoint (nothing stays prepared).
/// </summary>
internal static class EndToEndJobRun
{
    /// <summary>ETL_BENCH_LOG=1: the job's debug log on the console with millisecond times (to see where latency goes); silent otherwise.</summary>
    private static readonly ILoggerFactory Logging = Environment.GetEnvironmentVariable("ETL_BENCH_LOG") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.SingleLine = true;
        }).SetMinimumLevel(LogLevel.Debug))
        : NullLoggerFactory.Instance;

    /// <summary>A live run: the feed at a fixed rate for a fixed wall time, then stop with a savepoint.</summary>
    public static async Task<EndToEndResult> LiveAsync(EndToEndSetup setup, string label, CheckpointingMode mode, TimeSpan interval, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var topic = $"e2e-{id}";
        await setup.Cluster.CreateTopicAsync(topic, EndToEndBenchmark.Partitions, cancellationToken);
        using var feed = new EndToEndFeed(setup.Cluster.BootstrapServers, topic, setup.Customers, setup.Rate);
        var options = setup.Options(id, topic, interval, mode, EndToEndBenchmark.LiveWindowSize);
        var (runner, run, timedSource, _) = await StartAsync(options, long.MaxValue, cancellationToken, probed: true);
        var timed = timedSource();
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
        var liveRecords = timed.Records;
        await runner.StopWithSavepointAsync(cancellationToken);
        await run;
        var result = new EndToEndResult(
            label, interval,
            stall, wall.Elapsed, snapshots, longest, probe.Percentile(0.5), probe.Percentile(0.99), probe.LatenciesMs.Count, liveRecords / wall.Elapsed.TotalSeconds);
        Console.WriteLine(
            $"{label}: live {wall.Elapsed.TotalSeconds:F1} s at {result.LiveRate:N0} rec/s read: {snapshots} snapshots, stall {stall.TotalMilliseconds:F1} ms " +
            $"(longest {longest.TotalMilliseconds:F1} ms); {probe.LatenciesMs.Count} windows, latency p50 {result.P50Ms:F0} ms p99 {result.P99Ms:F0} ms");
        return result;
    }

    /// <summary>
    /// A bounded run (<c>--stop-at-end</c>) over the backlog <paramref name="topic"/> (shared by every run: each job has its
    /// own group and no checkpoint, so it starts at the earliest offsets): first record read to the final checkpoint committed.
    /// Then the exactness check (<see cref="EndToEndExactness"/>) and, for comparison, a plain COPY of the committed rows.
    /// </summary>
    public static async Task<BacklogRound> BacklogAsync(
        EndToEndSetup setup, string topic, OrderStreamOptions backlog, string label, CheckpointingMode mode, TimeSpan interval,
        CancellationToken cancellationToken, TimeSpan? windowSize = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var options = setup.Options(id, topic, interval, mode, windowSize) with { StopAtEnd = true };
        // A clean heap at the start: the previous run's exactness check leaves gigabytes of garbage in gen 2 (5M orders),
        // which a run with no full collection would otherwise count in its peak managed heap.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var server = PostgresServerCpu.Find();
        using var paths = new EndToEndSinkPaths(options.JobName);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var pauseBefore = GC.GetTotalPauseDuration();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var started = Stopwatch.GetTimestamp();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var peaks = SamplePeaksAsync(sampling.Token);
        var (_, run, timedSource, timedSink) = await StartAsync(options, setup.Orders, cancellationToken);
        while (!run.IsCompleted && timedSource().FirstRecordTicks == 0)
        {
            await Task.Delay(5, cancellationToken);
        }

        var serverAtFirst = server?.Now();
        await run;
        var end = Stopwatch.GetTimestamp();
        var cpu = ProcessCpu.Now();
        // The sink's sessions have ended; their backends' CPU counts once the postmaster has reaped them.
        await Task.Delay(200, cancellationToken);
        var serverCpu = server?.Now() - serverAtFirst;
        await sampling.CancelAsync();
        var (peakWorkingSet, peakHeap) = await peaks;
        var timed = timedSource();
        var elapsed = Stopwatch.GetElapsedTime(timed.FirstRecordTicks, end);
        var tail = Stopwatch.GetElapsedTime(timed.TargetTicks, end) / elapsed;
        var rate = timed.Records / elapsed.TotalSeconds;
        var perMillion = (cpu - timed.FirstRecordCpu).TotalSeconds / timed.Records * 1_000_000;
        var serverPerMillion = serverCpu is { } s ? s.TotalSeconds / timed.Records * 1_000_000 : double.NaN;
        // Allocation and GC over the whole run (start-up and restore included), to see what the managed heap costs per record.
        var allocated = (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / (double)timed.Records;
        var pause = (GC.GetTotalPauseDuration() - pauseBefore) / Stopwatch.GetElapsedTime(started, end);
        var rows = timedSink().Rows;
        Console.WriteLine(
            $"{label}: backlog {timed.Records:N0} orders, first record read to final checkpoint committed {elapsed.TotalSeconds:F2} s = {rate:N0} rec/s, " +
            $"CPU {perMillion:F2} s/M, PostgreSQL CPU {serverPerMillion:F2} s/M, {timed.Snapshots} checkpoints (last record read at {Stopwatch.GetElapsedTime(timed.FirstRecordTicks, timed.TargetTicks).TotalSeconds:F2} s, tail {tail:P0}; " +
            $"in source polls {timed.InPoll.TotalSeconds:F2} s, {timed.EmptyPolls} of {timed.Polls} polls empty; " +
            $"sink: {rows:N0} rows ({paths}), in writes {timedSink().InWrites.TotalSeconds:F2} s, in snapshots {timedSink().InSnapshots.TotalSeconds:F2} s); " +
            $"{allocated:F0} B allocated/record, GC pause {pause:P1}, " +
            $"{GC.CollectionCount(0) - gen0} gen0 / {GC.CollectionCount(2) - gen2} gen2 collections; peak working set {peakWorkingSet / 1048576.0:F0} MiB, peak managed heap {peakHeap / 1048576.0:F0} MiB");
        var report = await EndToEndExactness.CheckAsync(backlog, options, setup.BacklogPartitions, cancellationToken);
        var (copied, copyWall, copyCpu) = await EndToEndCopyReference.RunAsync(options.Postgres.ConnectionString, options.Postgres.Table, server, cancellationToken);
        Console.WriteLine(
            $"  {report.Summary} ({report.LateRecords} late, {report.Malformed} malformed dead letters); plain binary COPY of the same {copied:N0} rows: " +
            $"{copyWall.TotalSeconds:F2} s, PostgreSQL CPU {(copyCpu is { } c ? (c.TotalSeconds / copied * 1_000_000).ToString("F2", CultureInfo.InvariantCulture) : "?")} s/M rows " +
            $"(the job: {(serverCpu is { } j ? (j.TotalSeconds / Math.Max(1, rows) * 1_000_000).ToString("F2", CultureInfo.InvariantCulture) : "?")} s/M rows)");
        return new BacklogRound(rate, perMillion, tail, serverPerMillion, peakWorkingSet, peakHeap);
    }

    /// <summary>The process's working set and managed heap, sampled every 50 ms until cancelled; their maxima.</summary>
    private static async Task<(long WorkingSet, long Heap)> SamplePeaksAsync(CancellationToken cancellationToken)
    {
        long workingSet = 0, heap = 0;
        using var process = Process.GetCurrentProcess();
        try
        {
            while (true)
            {
                process.Refresh();
                workingSet = Math.Max(workingSet, process.WorkingSet64);
                heap = Math.Max(heap, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(50, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (workingSet, heap);
        }
    }

    private static async Task<(JobRunner Runner, Task<JobResult> Run, Func<EndToEndTimedSources> Timed, Func<EndToEndTimedSinks> Sink)> StartAsync(
        EndToEndJob options, long target, CancellationToken cancellationToken, bool probed = false)
    {
        await TotalsTable.EnsureAsync(options.Postgres.ConnectionString, options.Postgres.Table, cancellationToken);
        if (probed)
        {
            await EndToEndLatencyProbe.IndexAsync(options.Postgres.ConnectionString, options.Postgres.Table, cancellationToken);
        }

        var storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(options.Checkpoints.Directory, options.SavepointDirectory));
        var timed = new EndToEndTimedSources(target);
        var sinks = new EndToEndTimedSinks();
        var graph = OrderTotalsJob.Build(options.Settings, options.Parallelism, options.StopAtEnd, Logging, timed.Wrap, sinks.Wrap);
        var runner = new JobRunner(graph, JobService.RuntimeOptions(options.Host), storage, TimeProvider.System, Logging,
            RestartPolicy.Create(options.Host.Restart, TimeProvider.System));
        var run = runner.RunAsync(cancellationToken);
        var deadline = Stopwatch.StartNew();
        while (!timed.Opened && !run.IsCompleted && deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(10, cancellationToken);
        }

        return (runner, run, () => timed.Opened ? timed : throw new InvalidOperationException("The job did not open its source."), () => sinks);
    }
}
