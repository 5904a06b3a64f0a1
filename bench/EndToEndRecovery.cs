using System.Diagnostics;
using System.Globalization;

namespace Etl.Bench;

/// <summary>
/// Recovery: a worker (<c>etl run</c> child process, 1 s checkpoints) runs while orders arrive; it is SIGKILLed once
/// it has completed checkpoints, restarted at once, and timed from the restart to its first new completed checkpoint
/// (<c>chk-n/_metadata</c> appearing with n above every checkpoint of the killed life). Baseline: kcat's time from
/// process start to its first record (a bare consumer's restart).
/// </summary>
internal static class EndToEndRecovery
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The worker builds restarted: the Release build (JIT) and, when bench.sh published it (ETL_BENCH_WORKER_R2R), the
    /// ReadyToRun publish the Dockerfile ships, whose start-up skips most JIT work.
    /// </summary>
    public static IReadOnlyList<(string Label, string Dll)> Builds()
    {
        var builds = new List<(string, string)> { ("JIT build", Path.Combine(AppContext.BaseDirectory, "etl.dll")) };
        if (Environment.GetEnvironmentVariable("ETL_BENCH_WORKER_R2R") is { Length: > 0 } r2r)
        {
            builds.Add(("ReadyToRun publish", File.Exists(r2r) ? r2r : throw new FileNotFoundException($"ETL_BENCH_WORKER_R2R names {r2r}, which does not exist.")));
        }

        return builds;
    }

    public static async Task<(List<(string Build, TimeSpan Time)> Restarts, List<TimeSpan> Bare, List<TimeSpan> DotnetBare)> RunAsync(
        EndToEndSetup setup, int kills, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var topic = $"e2e-{id}";
        await setup.Cluster.CreateTopicAsync(topic, EndToEndBenchmark.Partitions, cancellationToken);
        using var feed = new EndToEndFeed(setup.Cluster.BootstrapServers, topic, setup.Customers, setup.Rate);
        using var live = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var feeding = feed.RunAsync(live.Token);
        var options = setup.Options(id, topic, Interval, Pipeline.Checkpointing.CheckpointingMode.ExactlyOnce);
        var checkpoints = Path.Combine(options.Checkpoints.Directory, options.JobName);
        var restarts = new List<(string Build, TimeSpan Time)>();
        var builds = Builds();
        var bare = new List<TimeSpan>();
        var dotnetBare = new List<TimeSpan>();
        try
        {
            var worker = Start(builds[0].Dll, setup, options.JobName, topic, options.Checkpoints.Directory);
            await WaitForCheckpointAboveAsync(checkpoints, 2, worker, cancellationToken);
            for (var kill = 1; kill <= kills * builds.Count; kill++)
            {
                // Alternate the builds so that both see the same feed and the same state size.
                var (build, dll) = builds[(kill - 1) % builds.Count];
                await Task.Delay(TimeSpan.FromMilliseconds(1_500), cancellationToken);
                worker.Kill();
                await worker.WaitForExitAsync(cancellationToken);
                worker.Dispose();
                var highest = Highest(checkpoints);
                var watch = Stopwatch.StartNew();
                worker = Start(dll, setup, options.JobName, topic, options.Checkpoints.Directory);
                var reached = await WaitForCheckpointAboveAsync(checkpoints, highest, worker, cancellationToken);
                restarts.Add((build, watch.Elapsed));
                Console.WriteLine($"recovery {kill} ({build}): SIGKILL after chk-{highest}; restarted worker completed chk-{reached} {watch.Elapsed.TotalSeconds:F2} s after its start");
                bare.Add(await KcatFirstRecordAsync(setup.Cluster.BootstrapServers, topic, cancellationToken));
                dotnetBare.Add(await DotnetConsumerFirstRecordAsync(setup.Cluster.BootstrapServers, topic, cancellationToken));
            }

            using (var term = Process.Start("kill", ["-TERM", worker.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(cancellationToken);
            }

            await worker.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            worker.Dispose();
        }
        finally
        {
            await live.CancelAsync();
            await feeding;
        }

        return (restarts, bare, dotnetBare);
    }

    private static Process Start(string dll, EndToEndSetup setup, string job, string topic, string directory)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        var id = job["e2e-".Length..];
        foreach (var argument in new[]
        {
            "run", "--job", job, "--topic", topic, "--checkpoint-dir", directory, "--http-port", "-1",
            $"Etl:Postgres:Table=e2e_{id}.order_totals", $"Etl:Postgres:SinkSchema=e2e_{id}",
            $"Etl:Window:Size={EndToEndBenchmark.WindowSize.TotalMilliseconds}", $"Etl:Window:OutOfOrderness={EndToEndBenchmark.OutOfOrderness.TotalMilliseconds}",
            $"Etl:Checkpoints:Interval={Interval.TotalMilliseconds}",
        })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["KAFKA_BOOTSTRAP_SERVERS"] = setup.Cluster.BootstrapServers;
        info.Environment["ETL_POSTGRES"] = setup.Postgres;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start `etl run`.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<long> WaitForCheckpointAboveAsync(string directory, long above, Process worker, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            var highest = Highest(directory);
            if (highest > above)
            {
                return highest;
            }

            if (worker.HasExited)
            {
                throw new InvalidOperationException($"`etl run` exited with {worker.ExitCode} before completing a checkpoint above {above}.");
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException($"No checkpoint above {above} within 2 minutes.");
    }

    private static long Highest(string directory) =>
        !Directory.Exists(directory) ? 0 : Directory.EnumerateDirectories(directory, "chk-*")
            .Where(d => File.Exists(Path.Combine(d, "_metadata")))
            .Select(d => long.TryParse(Path.GetFileName(d)["chk-".Length..], CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();

    private static async Task<TimeSpan> KcatFirstRecordAsync(string bootstrap, string topic, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("kcat") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-c", "1", "-q" })
        {
            info.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start kcat.");
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return watch.Elapsed;
    }

    /// <summary>
    /// A .NET bare consumer's restart: <c>etl dev consume --assign --count 1</c> (process start, runtime start, metadata, assign
    /// at the earliest offsets, first record), the same client library and start-up path as the worker, without a group join.
    /// </summary>
    private static async Task<TimeSpan> DotnetConsumerFirstRecordAsync(string bootstrap, string topic, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "etl.dll"));
        foreach (var argument in new[] { "dev", "consume", "--bootstrap-servers", bootstrap, "--topic", topic, "--count", "1", "--assign" })
        {
            info.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start `etl dev consume`.");
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return watch.Elapsed;
    }
}
