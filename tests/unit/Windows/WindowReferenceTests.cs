using System.Text;
using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Windows;

/// <summary>
/// The window operators against brute-force models on seeded random out-of-order streams: every
/// result emitted (as a multiset, so also the last one per window) and every late dead letter.
/// </summary>
public sealed class WindowReferenceTests
{
    private const int CasesPerKind = 300;

    public static TheoryData<WindowKind> Kinds => new(WindowKind.Tumbling, WindowKind.Sliding, WindowKind.Session);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Windows_RandomOutOfOrderStreams_EmitExactlyWhatTheReferenceEmits(WindowKind kind)
    {
        var (onTime, lateUpdates, deadLetters, multiRecordWindows, bridges, retractions) = (0, 0, 0, 0, 0, 0);
        for (var seed = 1; seed <= CasesPerKind; seed++)
        {
            var c = StreamCaseGenerator.Generate(kind, seed);
            await using var cluster = await WindowCluster.StartAsync(c, parallelism: 1);
            await cluster.RunAsync(c.Steps);
            await cluster.EndOfInputAsync();
            AssertMatchesReference(c, cluster.Emissions(), cluster.DeadLetters(), "no restore");
            onTime += cluster.Emissions().Count(e => !e.Late && !e.Retraction);
            lateUpdates += cluster.Emissions().Count(e => e.Late && !e.Retraction);
            multiRecordWindows += cluster.Emissions().Count(e => e.Value.Count > 2);
            retractions += cluster.Emissions().Count(e => e.Retraction);
            deadLetters += cluster.DeadLetters().Count();
            bridges += kind == WindowKind.Session ? SessionReference.Compute(c).Bridges : 0;
        }

        // The generator must reach every path, or the comparison above proves little.
        Assert.True(onTime > 1000 && lateUpdates > 100 && deadLetters > 100 && multiRecordWindows > 100,
            $"generated streams are too tame: {onTime} on time, {lateUpdates} late updates, {deadLetters} late records, {multiRecordWindows} windows of 3+ records");
        Assert.True(kind != WindowKind.Session || bridges > 50, $"only {bridges} records bridged two sessions");
        Assert.True(kind == WindowKind.Session ? retractions > 20 : retractions == 0, $"{retractions} retractions");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Windows_RestoredAtRandomPointsWithAnyParallelism_EmitExactlyOnceWhatTheReferenceEmits(WindowKind kind)
    {
        for (var seed = 1; seed <= CasesPerKind; seed++)
        {
            var c = StreamCaseGenerator.Generate(kind, seed);
            var rng = new Random(seed * 7919);
            // One or two failures. Half the cases split one subtask's snapshot over two by key-group
            // range at the first restore; the others use any parallelism 1..3.
            var checkpoints = Enumerable.Range(0, rng.Next(1, 3)).Select(_ => rng.Next(0, c.Steps.Count + 1)).Order().ToList();
            var parallelism = seed % 2 == 0 ? 1 : rng.Next(1, 4);
            var run = new StringBuilder($"parallelism {parallelism}");
            var committed = new List<Emission>();
            var committedLetters = new List<DeadLetter>();
            var cluster = await WindowCluster.StartAsync(c, parallelism);
            var position = 0;
            for (var failure = 0; failure < checkpoints.Count; failure++)
            {
                var checkpointAt = checkpoints[failure];
                await cluster.RunAsync(c.Steps.Take(checkpointAt).Skip(position));
                var snapshots = await cluster.SnapshotAsync();
                // Work after the checkpoint is lost in the crash: its results were never committed.
                var crashAt = rng.Next(checkpointAt, c.Steps.Count + 1);
                await cluster.RunAsync(c.Steps.Take(crashAt).Skip(checkpointAt));
                committed.AddRange(cluster.Emissions(committedOnly: true));
                committedLetters.AddRange(cluster.DeadLetters(committedOnly: true));
                await cluster.DisposeAsync();

                parallelism = seed % 2 == 0 && failure == 0 ? 2 : rng.Next(1, 4);
                run.Append($", checkpoint after step {checkpointAt}, crash after step {crashAt}, restore with parallelism {parallelism}");
                // No watermark is re-sent: the operators must resume from the one they checkpointed.
                cluster = await WindowCluster.RestoreAsync(c, RoundTrip(snapshots), parallelism);

                position = checkpointAt;
            }

            await cluster.RunAsync(c.Steps.Skip(position));
            await cluster.EndOfInputAsync();
            AssertMatchesReference(
                c, committed.Concat(cluster.Emissions()), committedLetters.Concat(cluster.DeadLetters()), run.ToString());
            await cluster.DisposeAsync();
        }
    }

    /// <summary>What checkpoint storage does: only bytes survive.</summary>
    private static OperatorSnapshot[] RoundTrip(IReadOnlyList<OperatorSnapshot> snapshots) =>
        snapshots.Select(s => new OperatorSnapshot(
            s.OperatorState?.ToArray(), s.KeyedState.Select(k => new KeyGroupState(k.KeyGroup, k.Data.ToArray())).ToArray())).ToArray();

    private static void AssertMatchesReference(StreamCase c, IEnumerable<Emission> emissions, IEnumerable<DeadLetter> deadLetters, string run)
    {
        var expected = c.Kind == WindowKind.Session ? SessionReference.Compute(c) : AlignedReference.Compute(c);
        var all = emissions.ToList();
        var actual = all.Where(e => !e.Retraction).ToList();
        var letters = deadLetters.ToList();
        var failures = new StringBuilder();
        var expectedSorted = Sorted(expected.Emissions);
        var actualSorted = Sorted(actual);
        if (!expectedSorted.SequenceEqual(actualSorted))
        {
            failures.AppendLine("results differ:")
                .AppendLine("  missing: " + string.Join("; ", expectedSorted.Except(actualSorted)))
                .AppendLine("  unexpected: " + string.Join("; ", actualSorted.Except(expectedSorted)))
                .AppendLine($"  counts: expected {expectedSorted.Count}, got {actualSorted.Count}");
        }

        // What a sink upserting by (key, start) and deleting retracted keys ends with: exactly the final windows,
        // the last result of each (key, start) that no later, larger session of its key contains (sessions only grow).
        var expectedTable = Sorted(Final(expected.Emissions));
        var actualTable = Sorted(Table(all));
        if (!expectedTable.SequenceEqual(actualTable))
        {
            failures.AppendLine("final table differs:")
                .AppendLine("  missing: " + string.Join("; ", expectedTable.Except(actualTable)))
                .AppendLine("  unexpected: " + string.Join("; ", actualTable.Except(expectedTable)));
        }

        var lateIds = letters.Select(d => Order.IdOf(d.Value!)).Order().ToList();
        if (!expected.LateIds.Order().SequenceEqual(lateIds))
        {
            failures.AppendLine($"late records differ: expected [{string.Join(',', expected.LateIds.Order())}], got [{string.Join(',', lateIds)}]");
        }

        foreach (var letter in letters)
        {
            var step = c.Steps.Single(s => s.Order?.Id == Order.IdOf(letter.Value!));
            if (letter.Reason != DeadLetterReasons.Late || letter.Timestamp != step.Time ||
                Encoding.UTF8.GetString(letter.Key!) != step.Order!.Customer)
            {
                failures.AppendLine($"dead letter {letter} does not describe {step}");
            }
        }

        if (failures.Length > 0)
        {
            Assert.Fail($"{c.Kind} seed {c.Seed} ({run}):\n{failures}\ncase: {c}");
        }
    }

    private static List<Emission> Table(IEnumerable<Emission> emissions)
    {
        var table = new Dictionary<(string, long), Emission>();
        foreach (var e in emissions)
        {
            if (e.Retraction)
            {
                Assert.True(table.Remove((e.Key, e.Start)), $"{e} retracts a result that is not in the table");
            }
            else
            {
                table[(e.Key, e.Start)] = e with { Late = false, Timestamp = 0 };
            }
        }

        return [.. table.Values];
    }

    private static IEnumerable<Emission> Final(IEnumerable<Emission> reference)
    {
        var last = Table(reference);
        return last.Where(e => !last.Any(o => o.Key == e.Key && o != e && o.Start <= e.Start && o.End >= e.End));
    }

    private static List<Emission> Sorted(IEnumerable<Emission> emissions) =>
        emissions.OrderBy(e => e.Key, StringComparer.Ordinal).ThenBy(e => e.Start).ThenBy(e => e.End)
            .ThenBy(e => e.Value.Count).ThenBy(e => e.Late).ThenBy(e => e.Value.IdHash).ToList();
}
