using System.Diagnostics;
using System.Globalization;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.State;

namespace Etl.Bench;

/// <summary>
/// Commit and restore times of the checkpoint storages: many small checkpoints (fsync-bound) and a few large
/// ones (hash- and write-bound), file system against memory as a ratio.
/// </summary>
internal sealed class CheckpointStorageBenchmark : IBenchmark
{
    public string Name => "checkpoint-storage";

    public string Description => "commit/restore time of file-system vs in-memory checkpoint storage [dir]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "etl-bench-storage-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var (label, operators, subtasks, bytes, count) in new[]
            {
                ("small: 4 ops x 2 subtasks x 1 KiB", 4, 2, 1024, 100),
                ("large: 4 ops x 4 subtasks x 1 MiB", 4, 4, 1024 * 1024, 10),
            })
            {
                var file = new FileSystemCheckpointStorage(new CheckpointStorageOptions(Path.Combine(root, label.Split(':')[0])));
                var memory = new InMemoryCheckpointStorage(new InMemoryCheckpointStorageOptions(MaxSizeInBytes: long.MaxValue));
                using (file)
                {
                    var (fileCommit, fileRestore) = await MeasureAsync(file, operators, subtasks, bytes, count, cancellationToken);
                    var (memoryCommit, memoryRestore) = await MeasureAsync(memory, operators, subtasks, bytes, count, cancellationToken);
                    Print(label, "file-system", fileCommit, fileRestore, count);
                    Print(label, "in-memory", memoryCommit, memoryRestore, count);
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"  ratio file/memory: commit {fileCommit.TotalMilliseconds / memoryCommit.TotalMilliseconds:F1}x, restore {fileRestore.TotalMilliseconds / memoryRestore.TotalMilliseconds:F1}x"));
                }
            }
        }
        finally
        {
            if (args.Length == 0 && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        return 0;
    }

    private static async Task<(TimeSpan Commit, TimeSpan Restore)> MeasureAsync(
        ICheckpointStorage storage, int operators, int subtasks, int bytes, int count, CancellationToken cancellationToken)
    {
        var commit = TimeSpan.Zero;
        var restore = TimeSpan.Zero;
        for (var id = 1; id <= count; id++)
        {
            var data = Build(id, operators, subtasks, bytes);
            var started = Stopwatch.GetTimestamp();
            await storage.ReserveAsync("bench", new CheckpointId(id), cancellationToken);
            await storage.CommitAsync(data, cancellationToken);
            commit += Stopwatch.GetElapsedTime(started);
            started = Stopwatch.GetTimestamp();
            _ = await storage.LatestAsync("bench", cancellationToken);
            restore += Stopwatch.GetElapsedTime(started);
        }

        return (commit, restore);
    }

    internal static CheckpointData Build(long id, int operators, int subtasks, int bytes)
    {
        var data = new byte[bytes];
        Random.Shared.NextBytes(data);
        var ops = new Dictionary<string, OperatorCheckpoint>(StringComparer.Ordinal);
        for (var o = 0; o < operators; o++)
        {
            ops[$"op-{o}"] = new OperatorCheckpoint(
                subtasks, 128, [.. Enumerable.Range(0, subtasks).Select(s => new OperatorSnapshot(data, [new KeyGroupState(s, data)]))]);
        }

        return new CheckpointData("bench", new CheckpointId(id), CheckpointKind.Checkpoint, id, ops);
    }

    private static void Print(string label, string storage, TimeSpan commit, TimeSpan restore, int count) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{label,-36} {storage,-12} commit {commit.TotalMilliseconds / count,8:F2} ms/checkpoint   latest {restore.TotalMilliseconds / count,8:F2} ms/checkpoint"));
}
