using System.Text;
using Etl.Samples.OrderTotals.Demo;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// What the chaos test did and found, counted as it goes and printed at the end: to the test output and to
/// <c>.artifacts/test-results/chaos.txt</c>, which <c>./test.sh</c> prints (<c>dotnet test</c> shows a passing test's
/// output nowhere).
/// </summary>
internal sealed class ChaosFigures(int seed, string seedVariable)
{
    public int Seed { get; } = seed;

    public int WorkersStarted { get; set; }

    /// <summary>Workers killed with SIGKILL by the test, at a random moment.</summary>
    public int Kills { get; set; }

    /// <summary>Workers that killed themselves with SIGKILL at an <c>ETL_FAULT</c> point, by point.</summary>
    public Dictionary<string, int> FaultKills { get; } = new(StringComparer.Ordinal);

    /// <summary>Kills that landed while the job was restoring (after "attempt N starting", before a checkpoint of the life).</summary>
    public int KillsDuringRestore { get; set; }

    /// <summary>In-process job restarts (attempt 2 and later) after a failure, e.g. PostgreSQL or Kafka gone.</summary>
    public int JobRestarts { get; set; }

    public int CheckpointsCompleted { get; set; }

    public int PostgresRestarts { get; set; }

    public int BrokerOutages { get; set; }

    public int SavepointStops { get; set; }

    public int PlainRestartsAfterSavepoint { get; set; }

    /// <summary>The savepoint the stopped worker wrote, and what the plain restart after it restored from (its log line).</summary>
    public string SavepointAndRestore { get; set; } = "";

    public CheckReport? Report { get; set; }

    public long DuplicateDeadLetters { get; set; }

    public int PreparedLeft { get; set; }

    public TimeSpan Duration { get; set; }

    public int AllKills => Kills + FaultKills.Values.Sum();

    public string Describe()
    {
        var text = new StringBuilder();
        var line = (string s) => text.Append(s).Append('\n');
        line($"chaos test: seed {Seed} (replay with {seedVariable}={Seed}), {Duration.TotalSeconds:0} s");
        line($"  kills: {AllKills} SIGKILLs ({Kills} by the test at random moments, {KillsDuringRestore} of them during a restore; " +
            $"{FaultKills.Values.Sum()} at fault points: {string.Join(", ", FaultKills.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"))})");
        line($"  restarts: {WorkersStarted} worker processes started, {JobRestarts} in-process job restarts, {PostgresRestarts} PostgreSQL restart, " +
            $"{BrokerOutages} broker down/up, {SavepointStops} stop with savepoint then {PlainRestartsAfterSavepoint} plain restart");
        line($"  savepoint: {SavepointAndRestore}");
        line($"  checkpoints completed by killed or stopped workers: {CheckpointsCompleted}");
        if (Report is { } r)
        {
            line($"  windows: {r.Windows} expected; mismatches: {r.Mismatches}");
            line($"  dead letters: {r.DeadLetters} ({r.Malformed} malformed expected as deserialization, {r.AheadOfTime} year-9999 expected as event-time-ahead, " +
                $"{r.LateRecords} late); duplicated source positions: {DuplicateDeadLetters}; problems: {r.Problems.Count}");
            foreach (var problem in r.Problems)
            {
                line("    " + problem);
            }
        }

        line($"  prepared transactions left: {PreparedLeft}");
        return text.ToString();
    }

    /// <summary>Writes <see cref="Describe"/> where ./test.sh prints it from.</summary>
    public void Save()
    {
        var directory = Path.Combine(RepoPaths.Root, ".artifacts", "test-results");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "chaos.txt"), Describe());
    }
}
