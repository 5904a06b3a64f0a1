using System.CommandLine;
using System.Globalization;
using Etl.CheckpointStorage;
using Etl.CheckpointStorage.S3;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Hosting.Commands;

/// <summary><c>etl checkpoints list --job X --checkpoint-dir D</c>: a job's completed checkpoints and savepoints, oldest first.</summary>
internal static class CheckpointsCommand
{
    public static Command Create()
    {
        var job = new Option<string>("--job") { Description = "Job name.", Required = true };
        var directory = new Option<string>("--checkpoint-dir") { Description = "The job's checkpoint directory (Etl:Checkpoints:Directory).", Required = true };
        var savepoints = new Option<string>("--savepoint-dir") { Description = "Savepoint directory (default: CHECKPOINT_DIR/savepoints, as the worker's default)." };
        var list = new Command("list", "List completed checkpoints and savepoints of a job, oldest first; LOCATION is what --from-checkpoint takes.") { job, directory, savepoints };
        list.SetAction(async (result, ct) =>
        {
            var dir = result.GetValue(directory)!;
            // The same scheme rule and S3/HDFS settings as the worker (ETL_S3_ENDPOINTS, AWS_*, HADOOP_CONF_DIR).
            var endpoints = Environment.GetEnvironmentVariable("ETL_S3_ENDPOINTS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var storage = CheckpointStorageFactory.Create(
                new CheckpointStorageOptions(dir, result.GetValue(savepoints) ?? Path.Combine(dir, "savepoints")), new S3StorageOptions(endpoints));
            using var owned = (IDisposable)storage;
            var handles = await storage.ListAsync(result.GetValue(job)!, ct);
            if (handles.Count == 0)
            {
                Console.WriteLine($"no completed checkpoints or savepoints of job '{result.GetValue(job)}' in {(dir.Contains("://", StringComparison.Ordinal) ? dir : Path.GetFullPath(dir))}");
                return 0;
            }

            Console.WriteLine($"{"KIND",-10} {"ID",8} {"COMPLETED (UTC)",-23} {"SIZE",10}  LOCATION");
            foreach (var h in handles)
            {
                var kind = h.Kind == CheckpointKind.Savepoint ? "savepoint" : "checkpoint";
                var at = DateTimeOffset.FromUnixTimeMilliseconds(h.TimestampUnixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
                Console.WriteLine($"{kind,-10} {h.Id.Value,8} {at,-23} {h.SizeInBytes,10}  {h.Location}");
            }

            return 0;
        });
        return new Command("checkpoints", "Checkpoints and savepoints in checkpoint storage.") { list };
    }
}
