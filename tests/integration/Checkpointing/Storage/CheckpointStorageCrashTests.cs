using System.Globalization;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Tests.Host;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Checkpointing.Storage;

/// <summary>
/// SIGKILLs a process that commits checkpoints in a loop at random instants, then checks what a new storage over
/// the same directory sees. Covers process crashes (torn writes, half-done retention); power loss needs the
/// fsyncs, which this cannot observe.
/// </summary>
public sealed class CheckpointStorageCrashTests : IDisposable
{
    private const string Job = "crash";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "etl-crash-storage-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Storage_KilledAtRandomInstants_LatestIsTheLastCommittedOrNewerAndIdsNeverRepeat()
    {
        var random = new Random(20261121);
        long highestSeen = 0;
        for (var round = 0; round < 6; round++)
        {
            var (reserved, committed) = await RunAndKillAsync(minimumCommits: 3 + round, extraDelay: TimeSpan.FromMilliseconds(random.Next(0, 40)));

            Assert.True(reserved[0] > highestSeen, $"round {round} reserved {reserved[0]} after {highestSeen} was used");
            Assert.Equal(reserved, reserved.Order().Distinct());
            highestSeen = reserved[^1];

            using var storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_directory));
            var latest = await storage.LatestAsync(Job, default);
            Assert.Empty(latest.Skipped);
            Assert.NotNull(latest.Checkpoint);
            Assert.InRange(latest.Checkpoint.Id.Value, committed[^1], reserved[^1]);
            AssertSameContent(CrashCheckpointContent.Build(Job, latest.Checkpoint.Id.Value), latest.Checkpoint);
            Assert.True((await storage.HighestIdAsync(Job, default)).Value >= reserved[^1]);
        }

        using (var final = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_directory)))
        {
            var next = (await final.HighestIdAsync(Job, default)).Next();
            await final.ReserveAsync(Job, next, default);
            await final.CommitAsync(CrashCheckpointContent.Build(Job, next.Value), default);
        }

        // Leak check: after one clean commit only the retained checkpoints are left.
        var left = Directory.GetDirectories(Path.Combine(_directory, Job), "chk-*");
        Assert.Equal(3, left.Length);
        Assert.All(left, d => Assert.True(File.Exists(Path.Combine(d, "_metadata")), d));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, Job), "*.inprogress", SearchOption.AllDirectories));
    }

    private static void AssertSameContent(CheckpointData expected, CheckpointData actual)
    {
        foreach (var (uid, op) in expected.Operators)
        {
            for (var i = 0; i < op.Subtasks.Count; i++)
            {
                Assert.Equal(op.Subtasks[i].OperatorState, actual.Operators[uid].Subtasks[i].OperatorState);
                Assert.Equal(
                    op.Subtasks[i].KeyedState.Select(k => (k.KeyGroup, Convert.ToHexString(k.Data))),
                    actual.Operators[uid].Subtasks[i].KeyedState.Select(k => (k.KeyGroup, Convert.ToHexString(k.Data))));
            }
        }
    }

    private async Task<(List<long> Reserved, List<long> Committed)> RunAndKillAsync(int minimumCommits, TimeSpan extraDelay)
    {
        await using (var process = EtlProcess.StartHost("checkpoint-storage-commit-loop", [_directory, Job]))
        {
            try
            {
                await process.WaitForOutputAsync(
                    lines => lines.Count(l => l.StartsWith("committed ", StringComparison.Ordinal)) >= minimumCommits,
                    TimeSpan.FromSeconds(60),
                    $"commit {minimumCommits} checkpoints in 60 s");
                await Task.Delay(extraDelay);
            }
            finally
            {
                await process.KillAsync();
            }

            var reserved = new List<long>();
            var committed = new List<long>();
            foreach (var line in process.OutputLines)
            {
                Record(line, reserved, committed);
            }

            return (reserved, committed);
        }
    }

    private static void Record(string line, List<long> reserved, List<long> committed)
    {
        var parts = line.Split(' ');
        var id = long.Parse(parts[1], CultureInfo.InvariantCulture);
        (parts[0] == "reserved" ? reserved : committed).Add(id);
    }
}
