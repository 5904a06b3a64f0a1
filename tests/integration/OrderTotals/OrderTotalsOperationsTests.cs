using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>Operating a worker: one worker per job, savepoints, SIGTERM, resume from a savepoint, health and metrics.</summary>
public sealed class OrderTotalsOperationsTests
{
    [Fact]
    public async Task SecondWorkerForTheSameJob_IsRefused_AndSigtermStopsTheFirstWithASavepointToResumeFrom()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(2_000, seed: 99, ct);
        await run.ProduceAsync(0, 1_000, ct);
        await using var first = run.StartWorker();
        var endpoint = await OrderTotalsRun.WaitUntilReadyAsync(first, TimeSpan.FromSeconds(60));

        await using (var second = run.StartWorker())
        {
            var exit = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(2, exit);
            Assert.Contains($"Job '{run.JobName}' is already running in another worker", second.ErrorText, StringComparison.Ordinal);
        }

        await run.ProduceAsync(1_000, run.Records.Count, ct);
        await using (var savepoint = EtlProcess.Start(["savepoint", "--url", endpoint.ToString()]))
        {
            Assert.Equal(0, await savepoint.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains(savepoint.OutputLines, l => l.StartsWith("savepoint ", StringComparison.Ordinal) && l.Contains(run.JobName, StringComparison.Ordinal));
        }

        using (var http = new HttpClient())
        {
            var metrics = await http.GetStringAsync(new Uri(endpoint, "metrics"), ct);
            foreach (var family in new[]
            {
                "etl_records_in_total{operator=\"order-windows\"}", "etl_records_out_total{operator=\"kafka-orders\"}",
                "etl_checkpoint_duration_milliseconds_count", "etl_checkpoint_size_bytes_sum", "etl_checkpoint_last_completed_id",
                "etl_sink_commit_duration_milliseconds_count", "etl_sink_dead_letters_total{reason=\"deserialization\"}", "etl_kafka_consumer_lag{",
            })
            {
                Assert.Contains(family, metrics, StringComparison.Ordinal);
            }

            Assert.Equal("live", (await http.GetStringAsync(new Uri(endpoint, "health/live"), ct)).Trim());
        }

        await OrderTotalsRun.TerminateAsync(first);
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        var finished = first.OutputLines.Single(l => l.StartsWith("finished: savepoint", StringComparison.Ordinal));
        var final = finished[(finished.IndexOf(" at ", StringComparison.Ordinal) + 4)..];
        Assert.Empty(await run.PreparedAsync(ct));

        await using (var list = EtlProcess.Start(["checkpoints", "list", "--job", run.JobName, "--checkpoint-dir", run.CheckpointDirectory]))
        {
            Assert.Equal(0, await list.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(2, list.OutputLines.Count(l => l.StartsWith("savepoint", StringComparison.Ordinal)));
            Assert.Contains(list.OutputLines, l => l.EndsWith(final, StringComparison.Ordinal));
        }

        await using (var resumed = run.StartWorker(null, "--from-checkpoint", final, "--stop-at-end"))
        {
            Assert.Equal(0, await resumed.WaitForExitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains("restoring from savepoint", resumed.ErrorText, StringComparison.Ordinal);
        }

        await run.AssertExactlyOnceAsync(ct);
    }

    [Fact]
    public async Task Run_InvalidSettings_ExitsWithEveryBadKeyNamed()
    {
        await using var worker = EtlProcess.Start(
            ["run", "Etl:Window:Size=5x", "--parallelism", "0"],
            new Dictionary<string, string> { ["Etl__Checkpoints__Mode"] = "twice", ["Etl__Kafka__BootstrapServers"] = "127.0.0.1:1", ["Etl__Postgres__ConnectionString"] = "Host=127.0.0.1" });

        Assert.Equal(2, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Etl:Window:Size: '5x' is not a duration", worker.ErrorText, StringComparison.Ordinal);
        Assert.Contains("Etl:Parallelism:", worker.ErrorText, StringComparison.Ordinal);
        Assert.Contains("Etl:Checkpoints:Mode: 'twice'", worker.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_LogsTheBundledLibrdkafka_AndRefusesToStartOnALibraryThatCannotBeLoaded()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var run = await OrderTotalsRun.CreateAsync(10, seed: 7, cts.Token);
        await using (var worker = run.StartWorker())
        {
            await OrderTotalsRun.WaitUntilReadyAsync(worker, TimeSpan.FromSeconds(60));
            Assert.Contains("librdkafka 2.16.0 (bundled, ", worker.ErrorText, StringComparison.Ordinal);
        }

        await using var broken = run.StartWorker(null, "Etl:Kafka:NativeLibrary=/nonexistent/librdkafka.so.1");
        Assert.Equal(2, await broken.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("  Etl:Kafka:NativeLibrary: No /nonexistent/librdkafka.so.1 librdkafka could be loaded", broken.ErrorText, StringComparison.Ordinal);
    }
}
