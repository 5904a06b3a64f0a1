using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Etl.DevServices;
using Etl.DevServices.Kafka;
using Etl.Tests.Integration.Foundation;
using Etl.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// Issue 13, "the proof": the real <c>etl run</c> over a seeded stream with malformed and hostile records, while the
/// test SIGKILLs workers at random moments (in start-up, during the restore, in steady state) and lets others kill
/// themselves at the fault points between PREPARE and COMMIT, restarts PostgreSQL under a worker, takes a Kafka broker
/// down and up, and stops a worker with a savepoint (SIGTERM) followed by a plain restart. A bounded run then drains
/// the topic, and the table and the dead letters are reconciled with the reference computed from the input alone.
/// Runs alone (a broker down is cluster-wide). Seeded: <c>ETL_CHAOS_SEED</c> replays a run.
/// </summary>
[Collection(MockFaultInjection.Name)]
public sealed partial class OrderTotalsChaosTests(ITestOutputHelper output)
{
    private const string SeedVariable = "ETL_CHAOS_SEED";
    private const int DefaultSeed = 20261130;
    private const int MinimumKills = 30;

    private static readonly string[] FaultPoints = ["after-prepare", "after-metadata-before-notify", "after-commit-before-offsets", "mid-metadata"];
    private static readonly TimeSpan LifeTimeout = TimeSpan.FromSeconds(60);

    [MockKafkaFact]
    public async Task Chaos_KillsServiceFaultsAndASavepointRestartOverHostileInput_EveryWindowExactAndEveryBadRecordDeadLetteredOnce()
    {
        var seed = Seed();
        var clock = Stopwatch.StartNew();
        var figures = new ChaosFigures(seed, SeedVariable);
        output.WriteLine($"chaos seed {seed} (replay with {SeedVariable}={seed})");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        var random = new Random(seed);
        await using var postgres = await LocalPostgres.CreateAsync(maxPreparedTransactions: 64, ct);
        await using var run = await OrderTotalsRun.CreateAsync(3_000, seed, ct, postgres.ConnectionString, hostileFraction: 0.03);
        using var control = new MockKafkaControl(TestServices.KafkaControl!);
        // Two thirds arrive during the first kills and service faults, a chunk while the savepoint is taken, the rest after it.
        var (first, second) = (run.Records.Count * 2 / 3, (run.Records.Count * 2 / 3) + 400);
        var producing = run.ProduceSlowlyAsync(0, first, chunks: 20, TimeSpan.FromMilliseconds(1_500), ct);
        try
        {
            await KillLivesAsync(run, random, figures, until: 8, ct);
            await RestartPostgresUnderAWorkerAsync(run, postgres, figures, ct);
            await KillLivesAsync(run, random, figures, until: 16, ct);
            await TakeABrokerDownUnderAWorkerAsync(run, control, figures, ct);
            await KillLivesAsync(run, random, figures, until: 22, ct);
            await producing;
            await StopWithSavepointThenRestartPlainlyAsync(run, random, figures, (first, second), ct);
            producing = run.ProduceSlowlyAsync(second, run.Records.Count, chunks: 6, TimeSpan.FromMilliseconds(1_500), ct);
            await KillLivesAsync(run, random, figures, until: MinimumKills, ct);
            await producing;

            await run.RunToEndAsync(TimeSpan.FromMinutes(2));

            figures.Report = await run.CheckAsync(ct);
            figures.DuplicateDeadLetters = await run.ScalarAsync(
                $"SELECT count(*) - count(DISTINCT (source_partition, source_offset)) FROM {run.Schema}.dead_letters " +
                $"WHERE job = '{run.JobName}' AND reason IN ('deserialization', 'event-time-ahead')",
                ct);
            figures.PreparedLeft = (await run.PreparedAsync(ct)).Count;
        }
        finally
        {
            figures.Duration = clock.Elapsed;
            output.WriteLine(figures.Describe());
            figures.Save();
        }

        var report = figures.Report!;
        Assert.True(
            report.IsExact && figures.DuplicateDeadLetters == 0 && figures.PreparedLeft == 0,
            $"Not exactly once (seed {seed}: replay with {SeedVariable}={seed}).\n{figures.Describe()}");
        Assert.True(report.Windows > 50, $"Only {report.Windows} windows: the stream is too small to mean anything.\n{figures.Describe()}");
        Assert.True(report.Malformed > 0 && report.AheadOfTime > 0, $"The stream holds no malformed or no year-9999 records.\n{figures.Describe()}");
        Assert.True(figures.AllKills >= MinimumKills, figures.Describe());
        // Kills that all landed before the first checkpoint would test nothing but fresh starts.
        Assert.True(figures.CheckpointsCompleted >= 15, figures.Describe());
    }

    /// <summary>Starts workers and kills each at a random moment until <paramref name="until"/> kills in all.</summary>
    private async Task KillLivesAsync(OrderTotalsRun run, Random random, ChaosFigures figures, int until, CancellationToken ct)
    {
        while (figures.AllKills < until)
        {
            var mode = random.Next(4);
            var fault = mode == 3 ? $"{FaultPoints[random.Next(FaultPoints.Length)]}:{random.Next(1, 4)}" : null;
            await using var worker = run.StartWorker(fault);
            figures.WorkersStarted++;
            var life = Stopwatch.StartNew();
            var restoring = false;
            switch (mode)
            {
                case 0:
                    // During the restore: the attempt has started; restored transactions are being committed or rolled back.
                    await Poll.UntilAsync(() => worker.HasExited || AttemptStarting().IsMatch(worker.ErrorText), LifeTimeout, "the attempt to start");
                    await Task.Delay(random.Next(0, 400), ct);
                    restoring = !CheckpointCompleted().IsMatch(worker.ErrorText);
                    break;
                case 1:
                    // Anywhere in start-up, restore, recovery commits or the first epochs.
                    await Task.Delay(random.Next(300, 3_000), ct);
                    break;
                case 2:
                    // Somewhere in steady state: after this life completed a checkpoint of its own.
                    await Poll.UntilAsync(() => worker.HasExited || CheckpointCompleted().IsMatch(worker.ErrorText), LifeTimeout, "a checkpoint of this worker");
                    await Task.Delay(random.Next(0, 1_000), ct);
                    break;
                default:
                    // At a fault point (between PREPARE and COMMIT, after the metadata, after the commit), if reached soon.
                    var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(random.Next(5, 15));
                    while (!worker.HasExited && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(50, ct);
                    }

                    break;
            }

            var selfKilled = worker.HasExited;
            if (selfKilled)
            {
                var exit = await worker.WaitForExitAsync(LifeTimeout);
                Assert.True(
                    fault is not null && exit == 137 && worker.ErrorText.Contains("ETL_FAULT: killing process", StringComparison.Ordinal),
                    $"The worker (fault {fault ?? "none"}) exited by itself with {exit} (seed {figures.Seed}).\n{worker.Describe()}");
                var point = fault!.Split(':')[0];
                figures.FaultKills[point] = figures.FaultKills.GetValueOrDefault(point) + 1;
            }
            else
            {
                await worker.KillAsync();
                figures.Kills++;
                figures.KillsDuringRestore += restoring ? 1 : 0;
            }

            Count(worker, figures);
            output.WriteLine($"life {figures.WorkersStarted} (mode {mode}{(fault is null ? "" : ", " + fault)}): {(selfKilled ? "killed itself" : "killed")} after {life.ElapsedMilliseconds} ms");
        }
    }

    private async Task RestartPostgresUnderAWorkerAsync(OrderTotalsRun run, LocalPostgres postgres, ChaosFigures figures, CancellationToken ct)
    {
        await using var worker = run.StartWorker();
        figures.WorkersStarted++;
        await WaitForCheckpointsAsync(worker, 1, figures);
        await postgres.RestartAsync(ct);
        figures.PostgresRestarts++;
        // Checkpoints complete again only once the job restarted against the restarted server.
        await Poll.UntilAsync(() => Restarts(worker) > 0, LifeTimeout, "the job to restart after the PostgreSQL restart");
        await WaitForCheckpointsAsync(worker, Completed(worker) + 2, figures);
        await worker.KillAsync();
        figures.Kills++;
        Count(worker, figures);
        output.WriteLine($"PostgreSQL restarted under pid {worker.Id}; the job restarted {Restarts(worker)} time(s) and checkpointed again");
    }

    private async Task TakeABrokerDownUnderAWorkerAsync(OrderTotalsRun run, MockKafkaControl control, ChaosFigures figures, CancellationToken ct)
    {
        await using var worker = run.StartWorker();
        figures.WorkersStarted++;
        await WaitForCheckpointsAsync(worker, 1, figures);
        try
        {
            await control.SetBrokerDownAsync(1, ct);
            figures.BrokerOutages++;
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
        }
        finally
        {
            await control.SetBrokerUpAsync(1, CancellationToken.None);
        }

        await WaitForCheckpointsAsync(worker, Completed(worker) + 2, figures);
        await worker.KillAsync();
        figures.Kills++;
        Count(worker, figures);
        output.WriteLine($"broker 1 down for 3 s and up under pid {worker.Id}; checkpoints resumed");
    }

    /// <summary>
    /// SIGTERM (stop-with-savepoint) while records arrive, then the plain <c>etl run</c> that docker-compose or systemd
    /// would start. The stopped worker checkpoints every 4 s, so that the interval between its last checkpoint and the
    /// savepoint holds records (bad ones among them): a restart that replays that interval writes them twice.
    /// </summary>
    private async Task StopWithSavepointThenRestartPlainlyAsync(OrderTotalsRun run, Random random, ChaosFigures figures, (int From, int To) arriving, CancellationToken ct)
    {
        var environment = run.Environment();
        environment["Etl__Checkpoints__Interval"] = "4s";
        await using (var stopped = EtlProcess.Start(["run"], environment))
        {
            figures.WorkersStarted++;
            await WaitForCheckpointsAsync(stopped, 1, figures);
            await run.ProduceAsync(arriving.From, arriving.To, ct);
            await Task.Delay(random.Next(1_000, 2_500), ct);
            var checkpoints = Completed(stopped);
            await OrderTotalsRun.TerminateAsync(stopped);
            var exit = await stopped.WaitForExitAsync(TimeSpan.FromSeconds(90));
            Assert.True(exit == 0, $"SIGTERM: the worker exited with {exit} (seed {figures.Seed}).\n{stopped.Describe()}");
            var finished = stopped.OutputLines.FirstOrDefault(l => l.StartsWith("finished: savepoint", StringComparison.Ordinal));
            Assert.True(finished is not null, $"SIGTERM: no savepoint (seed {figures.Seed}).\n{stopped.Describe()}");
            figures.SavepointStops++;
            Count(stopped, figures);
            figures.SavepointAndRestore = $"records [{arriving.From}, {arriving.To}) produced, SIGTERM after {checkpoints} checkpoint(s) of 4 s: {finished}";
        }

        await using var restarted = run.StartWorker();
        figures.WorkersStarted++;
        figures.PlainRestartsAfterSavepoint++;
        // Whatever it restored from, what it replays is committed with its first checkpoints.
        await WaitForCheckpointsAsync(restarted, 2, figures);
        var restoredFrom = RestoringFrom().Match(restarted.ErrorText);
        figures.SavepointAndRestore += $"; the plain restart after it restored from {(restoredFrom.Success ? restoredFrom.Groups[1].Value : "(not logged)")}";
        output.WriteLine($"plain restart after the savepoint: {figures.SavepointAndRestore}");
        await restarted.KillAsync();
        figures.Kills++;
        Count(restarted, figures);
    }

    private static void Count(EtlProcess worker, ChaosFigures figures)
    {
        figures.CheckpointsCompleted += Completed(worker);
        figures.JobRestarts += Restarts(worker);
    }

    private static int Completed(EtlProcess worker) => CheckpointCompleted().Count(worker.ErrorText);

    // In-process restarts: a failed attempt restarted by the restart strategy ("attempt N starting", N > 1), or a new
    // run after the job lock's session ended (a PostgreSQL restart ends it: the run stops and the lock is re-taken).
    private static int Restarts(EtlProcess worker) =>
        AttemptStarting().Matches(worker.ErrorText).Count(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 1)
        + CountOf(worker.ErrorText, "re-took the job lock");

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static Task WaitForCheckpointsAsync(EtlProcess worker, int count, ChaosFigures figures) =>
        Poll.UntilAsync(
            () =>
            {
                Assert.False(worker.HasExited, $"The worker died (seed {figures.Seed}).\n{worker.Describe()}");
                return Completed(worker) >= count;
            },
            TimeSpan.FromSeconds(90),
            $"{count} completed checkpoints");

    private static int Seed()
    {
        var text = Environment.GetEnvironmentVariable(SeedVariable);
        return string.IsNullOrWhiteSpace(text)
            ? DefaultSeed
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
                ? seed
                : throw new InvalidOperationException($"{SeedVariable}='{text}' is not an integer seed.");
    }

    [GeneratedRegex(@"Checkpoint \d+ completed")]
    private static partial Regex CheckpointCompleted();

    [GeneratedRegex(@"attempt 1 starting, restoring from ([^\r\n]*)")]
    private static partial Regex RestoringFrom();

    [GeneratedRegex(@"attempt (\d+) starting")]
    private static partial Regex AttemptStarting();
}
