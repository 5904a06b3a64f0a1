using System.Text.Json;
using System.Text.RegularExpressions;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// Restarts and savepoints as users walk them (docs/checkpoints.md, "Restore points"): a plain start after SIGTERM, an
/// intermediate savepoint followed by a crash, a crash in the middle of the stop's commits, and a job whose sink
/// committed epochs while its checkpoints are gone. Each ends with the exactly-once check: every window exact, every
/// malformed record dead-lettered once, nothing prepared.
/// </summary>
public sealed partial class OrderTotalsRestartTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(5);

    // Long enough that a savepoint or SIGTERM lands well after the last periodic checkpoint: the interval between them
    // is what a wrong restore point would replay.
    private static readonly Dictionary<string, string> SlowCheckpoints = new() { ["Etl__Checkpoints__Interval"] = "10s" };

    [Fact]
    public async Task PlainRestart_AfterSigterm_ResumesRightAfterTheSavepoint()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(1_500, seed: 1301, ct, malformedFraction: 0.05);
        await using (var worker = await StartAfterFirstCheckpointAsync(run, ct))
        {
            await OrderTotalsRun.TerminateAsync(worker);
            Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, worker.Describe());
            Assert.Contains(worker.OutputLines, l => l.StartsWith("finished: savepoint", StringComparison.Ordinal));
        }

        // What docker-compose and systemd do: the same command again.
        await run.RunToEndAsync(TimeSpan.FromMinutes(2));
        await run.AssertExactlyOnceAsync(ct);
    }

    [Fact]
    public async Task IntermediateSavepoint_ThenSigkill_PlainRestartAndTheSavepointStayExactlyOnce()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(1_500, seed: 1302, ct, malformedFraction: 0.05);
        string savepoint;
        var third = run.Records.Count / 3;
        await using (var worker = await StartAfterFirstCheckpointAsync(run, ct, produceUpTo: 2 * third))
        {
            var endpoint = await OrderTotalsRun.WaitUntilReadyAsync(worker, TimeSpan.FromSeconds(60));
            // Right after a periodic checkpoint, new input, then the savepoint and the crash, well before the next checkpoint.
            var completed = CheckpointIds(worker).Count;
            await Poll.UntilAsync(() => worker.HasExited || CheckpointIds(worker).Count > completed, TimeSpan.FromSeconds(60), "the next checkpoint");
            await run.ProduceAsync(2 * third, run.Records.Count, ct);
            await Task.Delay(1_000, ct);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var response = await http.PostAsync(new Uri(endpoint, "savepoint"), null, ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
            using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            savepoint = result.RootElement.GetProperty("location").GetString()!;
            var savepointId = result.RootElement.GetProperty("id").GetInt64();
            worker.Kill();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.DoesNotContain(CheckpointIds(worker), id => id > savepointId);
        }

        // A plain start restores and recovers (then dies before a checkpoint of its own) ...
        await using (var plain = run.StartWorkerWith(new Dictionary<string, string> { ["Etl__Checkpoints__Interval"] = "1h" }))
        {
            await OrderTotalsRun.WaitUntilReadyAsync(plain, TimeSpan.FromSeconds(60));
            plain.Kill();
            await plain.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // ... and the savepoint is still restorable afterwards.
        await using (var fromSavepoint = run.StartWorker(null, "--from-checkpoint", savepoint, "--stop-at-end"))
        {
            Assert.True(await fromSavepoint.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, fromSavepoint.Describe());
        }

        await run.AssertExactlyOnceAsync(ct);
    }

    [Fact]
    public async Task StopWithSavepoint_KilledAfterOneSubtaskCommitted_NextStartCommitsTheRestWithoutReplayingIt()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(1_500, seed: 1303, ct, malformedFraction: 0.05);
        // Checkpoint 1 commits two non-empty epochs (one per subtask); the third commit is the stop's first subtask.
        await using (var worker = await StartAfterFirstCheckpointAsync(run, ct, "after-commit-before-offsets:3"))
        {
            await OrderTotalsRun.TerminateAsync(worker);
            var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(90));
            Assert.True(exit == 137, $"Expected death by SIGKILL (137) in the stop's commits, got {exit}.\n{worker.Describe()}");
            Assert.Contains("stop requested; taking a final savepoint", worker.ErrorText, StringComparison.Ordinal);
        }

        await run.RunToEndAsync(TimeSpan.FromMinutes(2));
        await run.AssertExactlyOnceAsync(ct);
    }

    [Fact]
    public async Task Start_SinkCommittedEpochsButCheckpointsGone_IsRefusedNamingThem_UnlessStartFresh()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(600, seed: 1304, ct);
        await run.ProduceAsync(0, run.Records.Count, ct);
        await run.RunToEndAsync(TimeSpan.FromMinutes(2));
        var highestMarker = await run.ScalarAsync($"SELECT max(checkpoint_id) FROM {run.Schema}.sink_commits WHERE job = '{run.JobName}'", ct);
        Directory.Delete(run.CheckpointDirectory, recursive: true);

        await using (var refused = run.StartWorker(null, "--stop-at-end"))
        {
            var exit = await refused.WaitForExitAsync(TimeSpan.FromMinutes(2));
            Assert.True(exit == 1, $"Expected a refusal (exit 1), got {exit}.\n{refused.Describe()}");
            Assert.Contains($"committed the epoch of checkpoint {highestMarker}", refused.ErrorText, StringComparison.Ordinal);
            Assert.Contains("--start-fresh", refused.ErrorText, StringComparison.Ordinal);
        }

        await using (var fresh = run.StartWorker(null, "--start-fresh", "--stop-at-end"))
        {
            Assert.True(await fresh.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, fresh.Describe());
            var finished = fresh.OutputLines.Single(l => l.StartsWith("finished: checkpoint ", StringComparison.Ordinal));
            var id = long.Parse(finished.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(id > highestMarker, $"the fresh start's checkpoint {id} must come after the highest marker {highestMarker}");
        }

        Assert.Empty(await run.PreparedAsync(ct));
    }

    /// <summary>
    /// Produces half the input, starts a worker with slow checkpoints, waits for its first checkpoint, produces the rest
    /// (up to <paramref name="produceUpTo"/>) and lets the worker read it: what follows happens well after the last checkpoint.
    /// </summary>
    private static async Task<EtlProcess> StartAfterFirstCheckpointAsync(OrderTotalsRun run, CancellationToken ct, string? fault = null, int? produceUpTo = null)
    {
        var half = run.Records.Count / 2;
        await run.ProduceAsync(0, half, ct);
        var worker = run.StartWorkerWith(SlowCheckpoints, fault);
        await Poll.UntilAsync(() => worker.HasExited || CheckpointCompleted().IsMatch(worker.ErrorText), TimeSpan.FromSeconds(60), "the first checkpoint");
        Assert.False(worker.HasExited, worker.Describe());
        await run.ProduceAsync(half, produceUpTo ?? run.Records.Count, ct);
        await Task.Delay(1_500, ct);
        return worker;
    }

    private static List<long> CheckpointIds(EtlProcess worker) =>
        [.. CheckpointCompleted().Matches(worker.ErrorText).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"Checkpoint (\d+) completed")]
    private static partial Regex CheckpointCompleted();
}
