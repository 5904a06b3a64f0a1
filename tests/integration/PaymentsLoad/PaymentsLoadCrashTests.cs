using System.Text.RegularExpressions;
using Etl.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace Etl.Tests.Integration.PaymentsLoad;

/// <summary>
/// The payments-load sample as separate processes on the local services, killed with SIGKILL at seeded points while
/// payments arrive and restarted: at the end every valid captured payment is one row (the table has no unique key that
/// could hide a duplicate), every malformed record is one dead letter, and no prepared transaction is left.
/// </summary>
public sealed partial class PaymentsLoadCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LifeTimeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(20261130)]
    [InlineData(7)]
    public async Task PaymentsLoad_KilledThreeTimesWhilePaymentsArrive_LoadsEachPaymentOnceAndEachBadRecordOnce(int seed)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var ct = cts.Token;
        var random = new Random(seed);
        await using var run = await PaymentsLoadRun.CreateAsync(2_400, seed, ct);
        var producing = run.ProduceSlowlyAsync(chunks: 40, TimeSpan.FromMilliseconds(400), ct);

        // 1: killed by its own fault point right after a sink subtask prepared an epoch (before the checkpoint completes).
        await KilledAtFaultPointAsync(run, $"after-prepare:{random.Next(2, 6)}");
        var prepared = await run.PreparedAsync(ct);
        Assert.NotEmpty(prepared);
        output.WriteLine($"after the first kill: prepared {string.Join(", ", prepared)}");

        // 2: killed by the test at a seeded moment after this life completed a checkpoint of its own.
        await using (var worker = run.StartWorker())
        {
            await Poll.UntilAsync(() => worker.HasExited || CheckpointCompleted().IsMatch(worker.ErrorText), LifeTimeout, "a checkpoint of the second worker");
            await Task.Delay(random.Next(0, 1_500), ct);
            Assert.False(worker.HasExited, $"The worker exited by itself.\n{worker.Describe()}");
            await worker.KillAsync();
        }

        // 3: killed after a checkpoint's metadata is durable but before the sinks hear that it completed.
        await KilledAtFaultPointAsync(run, $"after-metadata-before-notify:{random.Next(1, 4)}");

        await producing;
        output.WriteLine($"before the bounded run: {await run.RowCountAsync(ct)} rows committed");
        await run.RunToEndAsync(LifeTimeout);
        await run.AssertExactlyOnceAsync(ct);
        output.WriteLine(
            $"{run.Records.Count} records: {run.Records.Count(r => r.Fate == PaymentFate.Loaded)} rows, " +
            $"{run.Records.Count(r => r.Fate == PaymentFate.Skipped)} skipped, {run.Records.Count(r => r.Fate == PaymentFate.Malformed)} dead letters, each once");
    }

    private static async Task KilledAtFaultPointAsync(PaymentsLoadRun run, string fault)
    {
        await using var worker = run.StartWorker(fault);
        var exit = await worker.WaitForExitAsync(LifeTimeout);
        Assert.True(exit == 137, $"Expected death by SIGKILL (137) at {fault}, got {exit}.\n{worker.Describe()}");
        Assert.Contains("ETL_FAULT: killing process", worker.ErrorText, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Checkpoint \d+ completed")]
    private static partial Regex CheckpointCompleted();
}
