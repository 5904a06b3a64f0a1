using System.Diagnostics;
using System.Globalization;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;

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
        // tests/integration/bin/<configuration>/<tfm>/ -> tests/host/bin/<configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var host = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.FullName, "host", "bin", output.Parent.Name, output.Name, "Etl.Tests.Host.dll");
        Assert.True(File.Exists(host), $"crash host not built at {host}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { host, "checkpoint-storage-commit-loop", _directory, Job })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var reserved = new List<long>();
        var committed = new List<long>();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (committed.Count < minimumCommits)
            {
                string? line;
                try
                {
                    line = await process.StandardOutput.ReadLineAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"the crash host committed {committed.Count} checkpoints in 60 s");
                }

                if (line is null)
                {
                    await process.WaitForExitAsync();
                    throw new InvalidOperationException($"the crash host exited with {process.ExitCode}: {await stderr}");
                }

                Record(line, reserved, committed);
            }

            await Task.Delay(extraDelay);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            Record(line, reserved, committed);
        }

        return (reserved, committed);
    }

    private static void Record(string line, List<long> reserved, List<long> committed)
    {
        var parts = line.Split(' ');
        var id = long.Parse(parts[1], CultureInfo.InvariantCulture);
        (parts[0] == "reserved" ? reserved : committed).Add(id);
    }
}
