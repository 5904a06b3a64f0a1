using System.Globalization;
using Etl.Connectors.Postgres;
using Etl.DevServices;
using Etl.DevServices.Kafka;
using Etl.Tests.Integration.Foundation;
using Etl.Tests.Integration.Infrastructure;
using Npgsql;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// Faults of the services around one long-lived worker: a Kafka broker down and back, failing Kafka
/// requests, a PostgreSQL restart. The worker recovers by itself (restart strategy, restore from the latest
/// checkpoint) and the totals are still exact. A worker whose job lock passes to another worker stops at once.
/// </summary>
[Collection(MockFaultInjection.Name)]
public sealed class OrderTotalsServiceFaultTests
{
    private const short Produce = MockKafkaRequest.Produce;
    private const short Fetch = MockKafkaRequest.Fetch;
    private const short OffsetCommit = MockKafkaRequest.OffsetCommit;
    private const int NotLeaderForPartition = 6;
    private const int CoordinatorNotAvailable = 15;

    [MockKafkaFact]
    public async Task BrokerDownAndRequestErrors_WorkerRecoversByItself_TotalsExact()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(3_000, seed: 5150, ct);
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        await using var worker = run.StartWorker();
        await OrderTotalsRun.WaitUntilReadyAsync(worker, TimeSpan.FromSeconds(60));
        var producing = run.ProduceSlowlyAsync(chunks: 15, TimeSpan.FromMilliseconds(400), ct);
        try
        {
            await WaitForCheckpointsAsync(worker, 3);
            await control.SetBrokerDownAsync(1, ct);
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            await control.SetBrokerUpAsync(1, ct);
            await control.PushRequestErrorsAsync(Fetch, [NotLeaderForPartition, NotLeaderForPartition, NotLeaderForPartition], ct);
            await control.PushRequestErrorsAsync(OffsetCommit, [CoordinatorNotAvailable, CoordinatorNotAvailable], ct);
            await control.PushRequestErrorsAsync(Produce, [NotLeaderForPartition, NotLeaderForPartition], ct);
            await producing;
            var before = Completed(worker);
            await WaitForCheckpointsAsync(worker, before + 3);
        }
        finally
        {
            await control.SetBrokerUpAsync(1, CancellationToken.None);
            foreach (var api in new[] { Produce, Fetch, OffsetCommit })
            {
                await control.ClearRequestErrorsAsync(api, CancellationToken.None);
            }
        }

        Assert.False(worker.HasExited, $"The worker died.\nstderr:\n{worker.ErrorText}");
        await OrderTotalsRun.TerminateAsync(worker);
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        await run.RunToEndAsync(TimeSpan.FromMinutes(2));
        await run.AssertExactlyOnceAsync(ct);
    }

    [Fact]
    public async Task PostgresRestart_WorkerRecoversByItself_TotalsExact()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var postgres = await LocalPostgres.CreateAsync(maxPreparedTransactions: 64, ct);
        await using var run = await OrderTotalsRun.CreateAsync(3_000, seed: 1999, ct, postgres.ConnectionString);
        await using var worker = run.StartWorker();
        await OrderTotalsRun.WaitUntilReadyAsync(worker, TimeSpan.FromSeconds(60));
        var producing = run.ProduceSlowlyAsync(chunks: 15, TimeSpan.FromMilliseconds(400), ct);
        await WaitForCheckpointsAsync(worker, 3);

        await postgres.RestartAsync(ct);

        await producing;
        // Checkpoints complete again only once the job restarted against the restarted server.
        var before = Completed(worker);
        await WaitForCheckpointsAsync(worker, before + 3);
        // The restart ends the job lock's session: the run stops, the lock is re-taken, and a new run restores.
        Assert.Contains("re-took the job lock", worker.ErrorText, StringComparison.Ordinal);
        await OrderTotalsRun.TerminateAsync(worker);
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        await run.RunToEndAsync(TimeSpan.FromMinutes(2));
        await run.AssertExactlyOnceAsync(ct);
    }

    [Fact]
    public async Task JobLockLostToAnotherWorker_StopsProcessingAtOnce_AndExitsAlreadyRunning()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(3_000, seed: 4242, ct);
        await using var worker = run.StartWorker();
        await OrderTotalsRun.WaitUntilReadyAsync(worker, TimeSpan.FromSeconds(60));
        await run.ProduceAsync(0, 1_500, ct);
        await WaitForCheckpointsAsync(worker, 3);

        // Another worker takes the job: it queues for the lock, then the first worker's lock session dies and
        // the lock passes to it before the first worker could reconnect.
        var key = AdvisoryLockKey.ForJob(run.JobName);
        await using var other = new NpgsqlConnection(run.Postgres);
        await other.OpenAsync(ct);
        await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({key})", other);
        var taken = take.ExecuteNonQueryAsync(ct);
        var backend = await run.ScalarAsync(
            $"SELECT pid FROM pg_stat_activity WHERE application_name = 'etl-worker {run.JobName} pid {worker.Id}'", ct);
        Assert.Equal(1L, await run.ScalarAsync($"SELECT count(*) FROM pg_terminate_backend({backend}) t WHERE t", ct));
        await taken.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var checkpointsAtTake = Completed(worker);
        var highestAtTake = HighestCheckpoint(run);
        var totalsAtTake = await TotalsFingerprintAsync(run, ct);

        // Whatever arrives now belongs to the new owner; the first worker must neither count it nor checkpoint.
        await run.ProduceAsync(1_500, run.Records.Count, ct);
        // Watch for a while rather than wait for the exit: on failure the checkpoints taken meanwhile are the evidence.
        var watchUntil = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!worker.HasExited && DateTime.UtcNow < watchUntil)
        {
            await Task.Delay(50, ct);
        }

        var newCheckpoints = worker.ErrorText.Split('\n')
            .Where(l => l.Contains("Checkpoint", StringComparison.Ordinal) && l.Contains(" completed at ", StringComparison.Ordinal))
            .Skip(checkpointsAtTake).ToList();
        Assert.True(
            newCheckpoints.Count == 0 && HighestCheckpoint(run) == highestAtTake,
            $"The worker completed checkpoints after another worker took its lock (highest chk-{highestAtTake} at the take, chk-{HighestCheckpoint(run)} now):\n" +
            string.Join('\n', newCheckpoints));
        Assert.Equal(totalsAtTake, await TotalsFingerprintAsync(run, ct));
        Assert.True(worker.HasExited, $"The worker still runs after another worker took its lock.\n{worker.Describe()}");
        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(exit == 2, $"The worker exited with {exit}, not 2.\n{worker.Describe()}");
        Assert.Contains($"Job '{run.JobName}' is already running in another worker", worker.ErrorText, StringComparison.Ordinal);

        // The new owner steps down; a worker resumes from the latest checkpoint and the totals are exact.
        await other.CloseAsync();
        await run.RunToEndAsync(TimeSpan.FromMinutes(2));
        await run.AssertExactlyOnceAsync(ct);
    }

    private static long HighestCheckpoint(OrderTotalsRun run)
    {
        var job = Path.Combine(run.CheckpointDirectory, run.JobName);
        return Directory.Exists(job)
            ? Directory.GetDirectories(job, "chk-*").Where(d => File.Exists(Path.Combine(d, "_metadata")))
                .Select(d => long.Parse(Path.GetFileName(d)["chk-".Length..], CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max()
            : 0;
    }

    private static Task<long> TotalsFingerprintAsync(OrderTotalsRun run, CancellationToken cancellationToken) =>
        run.ScalarAsync($"SELECT coalesce(sum(order_count), 0) FROM {run.Schema}.order_totals", cancellationToken);

    private static int Completed(EtlProcess worker) =>
        worker.ErrorText.Split('\n').Count(l => l.Contains("Checkpoint", StringComparison.Ordinal) && l.Contains(" completed at ", StringComparison.Ordinal));

    private static Task WaitForCheckpointsAsync(EtlProcess worker, int count) =>
        Poll.UntilAsync(
            () =>
            {
                Assert.False(worker.HasExited, $"The worker died.\nstderr:\n{worker.ErrorText}");
                return Completed(worker) >= count;
            },
            TimeSpan.FromSeconds(90),
            $"{count} completed checkpoints");
}
