using Etl.Connectors.Kafka.Mock;
using Etl.Tests.Integration.Foundation;
using Etl.Tests.Integration.Infrastructure;
using Etl.Worker.Dev;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// Faults of the services around one long-lived worker: a Kafka broker down and back, failing Kafka
/// requests, a PostgreSQL restart. The worker recovers by itself (restart strategy, restore from the latest
/// checkpoint) and the totals are still exact.
/// </summary>
[Collection(MockFaultInjection.Name)]
public sealed class OrderTotalsServiceFaultTests
{
    private const short Produce = 0;
    private const short Fetch = 1;
    private const short OffsetCommit = 8;
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
        Assert.Contains("attempt 2 starting", worker.ErrorText, StringComparison.Ordinal);
        await OrderTotalsRun.TerminateAsync(worker);
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        await run.RunToEndAsync(TimeSpan.FromMinutes(2));
        await run.AssertExactlyOnceAsync(ct);
    }

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
