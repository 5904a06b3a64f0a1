using System.Text.RegularExpressions;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// The order-total worker with its checkpoints on S3 (the local Ceph radosgw, or ETL_S3_ENDPOINTS): killed with SIGKILL
/// after completing checkpoints, restarted from what is in the bucket, and the totals are exactly once.
/// </summary>
public sealed partial class OrderTotalsS3Tests
{
    [Fact]
    public async Task Worker_WithS3Checkpoints_KilledAndRestarted_TotalsAreExactlyOnce()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(2_000, seed: 20261130, ct);
        var root = TestS3.NewRoot("worker");
        var settings = new Dictionary<string, string>(TestS3.HostEnvironment()) { ["Etl__Checkpoints__Directory"] = root };
        var producing = run.ProduceSlowlyAsync(chunks: 10, TimeSpan.FromMilliseconds(300), ct);

        for (var life = 0; life < 2; life++)
        {
            await using var worker = run.StartWorkerWith(settings);
            await Poll.UntilAsync(
                () => worker.HasExited || CheckpointCompleted().Count(worker.ErrorText) >= 2, TimeSpan.FromSeconds(90), "two checkpoints on S3");
            Assert.False(worker.HasExited, $"The worker exited by itself.\nstdout:\n{string.Join('\n', worker.OutputLines)}\nstderr:\n{worker.ErrorText}");
            worker.Kill();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await producing;
        await using (var bounded = run.StartWorkerWith(settings, null, "--stop-at-end"))
        {
            var exit = await bounded.WaitForExitAsync(TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, $"The bounded run exited with {exit}.\nstdout:\n{string.Join('\n', bounded.OutputLines)}\nstderr:\n{bounded.ErrorText}");
            Assert.Contains(bounded.OutputLines, l => l.StartsWith("finished: checkpoint", StringComparison.Ordinal) && l.Contains(root, StringComparison.Ordinal));
        }

        await run.AssertExactlyOnceAsync(ct);

        // The checkpoints are listed from the bucket as `etl checkpoints list` shows them.
        await using var list = EtlProcess.Start(["checkpoints", "list", "--job", run.JobName, "--checkpoint-dir", root], TestS3.HostEnvironment());
        Assert.Equal(0, await list.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(list.OutputLines, l => l.StartsWith("checkpoint", StringComparison.Ordinal) && l.Contains($"{root}/{run.JobName}/chk-", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"Checkpoint \d+ completed")]
    private static partial Regex CheckpointCompleted();
}
