using System.Text.RegularExpressions;

using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// The worker as a separate process, killed with SIGKILL while orders arrive, and restarted: at the end the
/// totals table equals the independent reference exactly, every bad record is a dead letter exactly once,
/// and no prepared transaction of the job is left.
/// </summary>
public sealed partial class OrderTotalsCrashTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Worker_KilledAtRandomMomentsWhileOrdersArrive_TotalsAreExactlyOnce()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(3_000, seed: 20261121, ct);
        var random = new Random(7);
        var producing = run.ProduceSlowlyAsync(chunks: 30, TimeSpan.FromMilliseconds(400), ct);
        var kills = 0;
        var completedCheckpoints = 0;
        while (kills < 20 || !producing.IsCompleted)
        {
            await using var worker = run.StartWorker();
            if (random.Next(2) == 0)
            {
                // Anywhere in start-up, restore, recovery commits or the first epoch.
                await Task.Delay(random.Next(200, 2_000), ct);
            }
            else
            {
                // Somewhere in steady state: after this life completed a checkpoint of its own.
                await Poll.UntilAsync(() => worker.HasExited || CheckpointCompleted().IsMatch(worker.ErrorText), TimeSpan.FromSeconds(60), "a checkpoint of this worker");
                await Task.Delay(random.Next(0, 1_000), ct);
            }

            Assert.False(worker.HasExited, $"The worker exited by itself.\nstdout:\n{string.Join('\n', worker.OutputLines)}\nstderr:\n{worker.ErrorText}");
            worker.Kill();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
            kills++;
            completedCheckpoints += worker.ErrorText.Split('\n').Count(l => CheckpointCompleted().IsMatch(l));
        }

        await producing;
        await run.RunToEndAsync(TimeSpan.FromMinutes(2));

        Assert.True(kills >= 20, $"only {kills} kills");
        // Kills that all landed before the first checkpoint would test nothing but fresh starts.
        Assert.True(completedCheckpoints >= 10, $"only {completedCheckpoints} checkpoints completed across {kills} killed workers");
        await run.AssertExactlyOnceAsync(ct);
    }

    [Theory]
    [InlineData("after-prepare:3")]
    [InlineData("mid-metadata:2")]
    [InlineData("after-metadata-before-notify:3")]
    [InlineData("after-commit-before-offsets:2")]
    public async Task Worker_KilledAtADangerousPoint_RecoversExactlyOnce(string fault)
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(1_500, seed: fault.Length, ct);
        var producing = run.ProduceSlowlyAsync(chunks: 12, TimeSpan.FromMilliseconds(250), ct);
        await using (var worker = run.StartWorker(fault))
        {
            var exit = await worker.WaitForExitAsync(TimeSpan.FromMinutes(2));
            Assert.True(exit == 137, $"Expected death by SIGKILL (137) at {fault}, got {exit}.\nstderr:\n{worker.ErrorText}");
            Assert.Contains("ETL_FAULT: killing process", worker.ErrorText, StringComparison.Ordinal);
        }

        // The dangerous state really exists before recovery.
        if (fault.StartsWith("after-prepare", StringComparison.Ordinal))
        {
            Assert.NotEmpty(await run.PreparedAsync(ct));
        }

        if (fault.StartsWith("mid-metadata", StringComparison.Ordinal))
        {
            var newest = Directory.GetDirectories(Path.Combine(run.CheckpointDirectory, run.JobName), "chk-*")
                .OrderBy(d => long.Parse(d[(d.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Last();
            // Cut in half, the _metadata JSON no longer parses: the restart has to notice and fall back.
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(newest, "_metadata"))).Dispose());
        }

        await producing;
        await run.RunToEndAsync(TimeSpan.FromMinutes(2));
        await run.AssertExactlyOnceAsync(ct);
    }

    [GeneratedRegex(@"Checkpoint \d+ completed")]
    private static partial Regex CheckpointCompleted();
}
