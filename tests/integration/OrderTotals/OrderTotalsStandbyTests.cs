using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Etl.Tests.Integration.Infrastructure;
using Npgsql;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// Standby workers (<c>etl run --standby</c>) as separate processes with their checkpoints on the S3 store of
/// <c>etl dev up</c> (Ceph's gateway): while the active worker holds the job lock, a standby holds one waiting
/// PostgreSQL session and no other connection; when the active one is SIGKILLed mid-stream the standby takes over
/// from the shared checkpoints, and the totals reconcile exactly against the generator.
/// </summary>
public sealed partial class OrderTotalsStandbyTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Standby_ActiveKilledMidStream_TakesOverFromS3AndTotalsAreExactlyOnce()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(4_000, seed: 20261130, ct);
        var settings = S3Settings(run);
        var producing = run.ProduceSlowlyAsync(chunks: 40, TimeSpan.FromMilliseconds(400), ct);

        await using var active = run.StartWorkerWith(settings);
        await OrderTotalsRun.WaitUntilReadyAsync(active, Start);
        await using var standby = run.StartWorkerWith(settings, null, "--standby");
        await WaitForStandbyAsync(standby, active);

        // Mid-stream: the active worker completed checkpoints of its own while orders keep arriving.
        await Poll.UntilAsync(() => active.HasExited || Completed(active).Count >= 3, Start, "three checkpoints of the active worker");
        Assert.False(producing.IsCompleted, "The stream ended before the kill: the test would not kill mid-stream.");
        Assert.Contains($"completed at s3://{TestS3.Bucket}/", active.ErrorText, StringComparison.Ordinal);
        await active.KillAsync();
        var lastOfActive = Completed(active).Max();

        await standby.WaitForOutputAsync(lines => lines.Any(l => l.StartsWith("taking over: ", StringComparison.Ordinal)), Start, "take over");
        await Poll.UntilAsync(
            () => standby.HasExited || Completed(standby).Any(id => id > lastOfActive), Start, $"a checkpoint of the standby above chk-{lastOfActive}");
        Assert.False(standby.HasExited, standby.Describe());
        // Restored from the shared storage what the killed worker completed last (or one it committed but had no time to log).
        var restored = RestoredCheckpoint().Match(standby.ErrorText);
        Assert.True(restored.Success, standby.Describe());
        Assert.InRange(long.Parse(restored.Groups[1].Value, CultureInfo.InvariantCulture), lastOfActive, long.MaxValue);
        await producing;

        // A second standby, bounded, finishes the stream when the first one is stopped (stop with savepoint).
        await using var finisher = run.StartWorkerWith(settings, null, "--standby", "--stop-at-end");
        await WaitForStandbyAsync(finisher, standby);
        await OrderTotalsRun.TerminateAsync(standby);
        Assert.Equal(0, await standby.WaitForExitAsync(Start));
        Assert.Contains(standby.OutputLines, l => l.StartsWith("finished: savepoint", StringComparison.Ordinal));
        Assert.Equal(0, await finisher.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains(finisher.OutputLines, l => l.StartsWith("finished: checkpoint", StringComparison.Ordinal));

        await run.AssertExactlyOnceAsync(ct);
    }

    [Fact]
    public async Task Standby_WhileTheActiveHoldsTheLock_HoldsOneWaitingSessionAndWritesNothing()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(2_000, seed: 1130, ct);
        var settings = S3Settings(run);
        var producing = run.ProduceSlowlyAsync(chunks: 20, TimeSpan.FromMilliseconds(300), ct);
        await using var active = run.StartWorkerWith(settings);
        await OrderTotalsRun.WaitUntilReadyAsync(active, Start);
        await using var standby = run.StartWorkerWith(settings, null, "--standby");
        var endpoint = await WaitForStandbyAsync(standby, active);
        var postgresPort = new NpgsqlConnectionStringBuilder(run.Postgres).Port;

        // Watch the standby over several checkpoints of the active worker.
        var before = Completed(active).Count;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var observations = 0;
        while (Completed(active).Count < before + 4 || observations < 5)
        {
            Assert.False(active.HasExited, active.Describe());
            Assert.False(standby.HasExited, standby.Describe());
            var connections = ProcessConnections.Established(standby.Id).Where(c => c.LocalPort != endpoint.Port).ToList();
            Assert.True(
                connections.Count == 1 && connections[0].RemotePort == postgresPort,
                $"The standby's connections (local -> remote port): {string.Join(", ", connections)}; expected only its PostgreSQL session " +
                $"(port {postgresPort}; S3 gateways at {string.Join(", ", TestS3.Endpoints)}).");
            Assert.Equal("advisory", await WaitEventAsync(run, standby.Id, ct));
            using var ready = await http.GetAsync(new Uri(endpoint, "health/ready"), ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            observations++;
            await Task.Delay(300, ct);
        }

        Assert.DoesNotContain("completed at", standby.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("taking over", string.Join('\n', standby.OutputLines), StringComparison.Ordinal);

        // Stopped cleanly, the active worker hands over at its final savepoint: the standby resumes right after it.
        await OrderTotalsRun.TerminateAsync(active);
        Assert.Equal(0, await active.WaitForExitAsync(Start));
        var savepoint = active.OutputLines.Single(l => l.StartsWith("finished: savepoint ", StringComparison.Ordinal)).Split(' ')[2];
        await standby.WaitForOutputAsync(lines => lines.Any(l => l.StartsWith("taking over: ", StringComparison.Ordinal)), Start, "take over");
        await Poll.UntilAsync(() => standby.HasExited || Completed(standby).Count > 0, Start, "a checkpoint of the standby");
        Assert.Contains($"restoring from savepoint {savepoint}", standby.ErrorText, StringComparison.Ordinal);
        await producing;
        await OrderTotalsRun.TerminateAsync(standby);
        Assert.Equal(0, await standby.WaitForExitAsync(Start));

        await using (var bounded = run.StartWorkerWith(settings, null, "--stop-at-end"))
        {
            Assert.Equal(0, await bounded.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        }

        await run.AssertExactlyOnceAsync(ct);
    }

    [Fact]
    public async Task Standby_CombinedWithStartFresh_IsRefusedNamingTheSetting()
    {
        await using var worker = EtlProcess.Start(["run", "--standby", "--start-fresh"], new Dictionary<string, string> { ["Etl__Http__Port"] = "-1" });

        Assert.Equal(2, await worker.WaitForExitAsync(Start));
        Assert.Contains("Etl:Standby: cannot be combined with Etl:StartFresh", worker.ErrorText, StringComparison.Ordinal);
    }

    /// <summary>The run's worker settings with checkpoints on the S3 store under test (<see cref="TestS3"/>).</summary>
    private static Dictionary<string, string> S3Settings(OrderTotalsRun run) =>
        new(TestS3.HostEnvironment()) { ["Etl__Checkpoints__Directory"] = TestS3.NewRoot($"standby-{run.JobName}") };

    /// <summary>Waits until <paramref name="standby"/> reports itself as standby of <paramref name="active"/>, on stdout and GET /status.</summary>
    private static async Task<Uri> WaitForStandbyAsync(EtlProcess standby, EtlProcess active)
    {
        await standby.WaitForOutputAsync(lines => lines.Any(l => l.StartsWith("standby: ", StringComparison.Ordinal)), Start, "report standby");
        var endpoint = new Uri(standby.OutputLines.First(l => l.StartsWith("endpoint: ", StringComparison.Ordinal))["endpoint: ".Length..]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(endpoint, "status")));
        Assert.Equal("Standby", status.RootElement.GetProperty("state").GetString());
        Assert.Contains($"pid {active.Id.ToString(CultureInfo.InvariantCulture)}", status.RootElement.GetProperty("activeWorker").GetString(), StringComparison.Ordinal);
        return endpoint;
    }

    /// <summary>What the standby's job-lock session waits on in PostgreSQL (pg_stat_activity.wait_event).</summary>
    private static async Task<string?> WaitEventAsync(OrderTotalsRun run, int pid, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(run.Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT wait_event FROM pg_stat_activity WHERE application_name = @name", connection);
        command.Parameters.AddWithValue("name", $"etl-worker {run.JobName} pid {pid.ToString(CultureInfo.InvariantCulture)}");
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static List<long> Completed(EtlProcess worker) =>
        [.. CheckpointCompleted().Matches(worker.ErrorText).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"Checkpoint (\d+) completed")]
    private static partial Regex CheckpointCompleted();

    [GeneratedRegex(@"attempt 1 starting, restoring from checkpoint (\d+)")]
    private static partial Regex RestoredCheckpoint();
}
