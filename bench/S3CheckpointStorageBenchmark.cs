using System.Diagnostics;
using System.Globalization;
using Etl.CheckpointStorage;
using Etl.CheckpointStorage.S3;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Bench;

/// <summary>
/// Checkpoint commit latency (reserve + commit, as the coordinator does) on S3 against the local file system, for a
/// small and a 32 MiB checkpoint. S3 is the store of <c>ETL_S3_ENDPOINTS</c>/<c>ETL_S3_BUCKET</c> with the standard AWS
/// credentials (./bench.sh starts the local Ceph radosgw through <c>etl dev up</c> when none is set).
/// </summary>
internal sealed class S3CheckpointStorageBenchmark : IBenchmark
{
    public string Name => "checkpoint-storage-s3";

    public string Description => "checkpoint commit latency: S3 (ETL_S3_ENDPOINTS) vs local file system, small and 32 MiB";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var endpoints = Environment.GetEnvironmentVariable("ETL_S3_ENDPOINTS")?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var bucket = Environment.GetEnvironmentVariable("ETL_S3_BUCKET");
        if (endpoints is not { Length: > 0 } || string.IsNullOrEmpty(bucket))
        {
            await Console.Error.WriteLineAsync("checkpoint-storage-s3 needs ETL_S3_ENDPOINTS and ETL_S3_BUCKET (./bench.sh sets them from etl dev up).");
            return 2;
        }

        var run = Guid.NewGuid().ToString("N")[..8];
        var local = Path.Combine(Path.GetTempPath(), "etl-bench-s3-" + run);
        Console.WriteLine($"S3: {string.Join(',', endpoints)} bucket {bucket} (first endpoint serves); file system: {local}");
        try
        {
            foreach (var (label, operators, subtasks, bytes, count) in new[]
            {
                ("small: 4 ops x 2 subtasks x 1 KiB (+1 KiB keyed), 16 KiB", 4, 2, 1024, 30),
                ("large: 4 ops x 4 subtasks x 1 MiB (+1 MiB keyed), 32 MiB", 4, 4, 1024 * 1024, 6),
            })
            {
                var size = label.Split(':')[0];
                var file = CheckpointStorageFactory.Create(new CheckpointStorageOptions(Path.Combine(local, size)));
                var s3 = CheckpointStorageFactory.Create(
                    new CheckpointStorageOptions($"s3://{bucket}/bench-{run}/{size}"), new S3StorageOptions(endpoints));
                using (file as IDisposable)
                using (s3 as IDisposable)
                {
                    var fileTimes = await MeasureAsync(file, operators, subtasks, bytes, count, cancellationToken);
                    var s3Times = await MeasureAsync(s3, operators, subtasks, bytes, count, cancellationToken);
                    Print(label, "file-system", fileTimes);
                    Print(label, "s3", s3Times);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio s3/file-system (median commit): {Median(s3Times) / Median(fileTimes):F1}x"));
                }
            }
        }
        finally
        {
            if (Directory.Exists(local))
            {
                Directory.Delete(local, recursive: true);
            }
        }

        return 0;
    }

    private static async Task<List<double>> MeasureAsync(
        ICheckpointStorage storage, int operators, int subtasks, int bytes, int count, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var id = 1; id <= count; id++)
        {
            var data = CheckpointStorageBenchmark.Build(id, operators, subtasks, bytes);
            var started = Stopwatch.GetTimestamp();
            await storage.ReserveAsync("bench", new CheckpointId(id), cancellationToken);
            await storage.CommitAsync(data, cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return times;
    }

    private static double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);

    private static void Print(string label, string storage, List<double> times) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{label,-56} {storage,-12} commit median {Median(times),8:F1} ms  min {times.Min(),8:F1}  max {times.Max(),8:F1}  (n={times.Count})"));
}
