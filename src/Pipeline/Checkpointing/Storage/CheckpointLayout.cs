using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// Where a job's checkpoints, savepoints and reserved ids live on disk, and the few file operations on them
/// (docs/checkpoint-storage.md has the layout).
/// </summary>
internal sealed class CheckpointLayout(string checkpointRoot, string? savepointRoot)
{
    public const string HighestIdFileName = "_highest-id";
    public const string CheckpointPrefix = "chk-";
    public const string SavepointPrefix = "savepoint-";

    private static readonly string[] ReservedDirectories = ["shared", "taskowned"];

    public string? SavepointRoot => savepointRoot;

    public string JobDirectory(string jobName) => Path.Combine(checkpointRoot, jobName);

    public string CheckpointPath(string jobName, CheckpointId id) =>
        Path.Combine(JobDirectory(jobName), CheckpointPrefix + id.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A fresh savepoint directory name: the id plus a random suffix, as Flink does.</summary>
    public string NewSavepointPath(string jobName, CheckpointId id, string savepointRootSetting)
    {
        var root = savepointRoot ?? throw new InvalidOperationException(
            $"Cannot take savepoint {id} of job '{jobName}': {savepointRootSetting} is not set.");
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return Path.Combine(root, jobName, string.Create(CultureInfo.InvariantCulture, $"{SavepointPrefix}{id.Value}-{suffix}"));
    }

    /// <summary>Creates the job directory with <c>shared/</c> and <c>taskowned/</c>, reserved for incremental state.</summary>
    public void EnsureJobDirectory(string jobName)
    {
        var jobDirectory = JobDirectory(jobName);
        DurableFiles.CreateDirectory(jobDirectory);
        foreach (var reserved in ReservedDirectories)
        {
            DurableFiles.CreateDirectory(Path.Combine(jobDirectory, reserved));
        }
    }

    public void DeleteReservedDirectories(string jobName)
    {
        foreach (var reserved in ReservedDirectories.Select(n => Path.Combine(JobDirectory(jobName), n)).Where(Directory.Exists))
        {
            Directory.Delete(reserved, recursive: true);
        }
    }

    public List<CheckpointDirectory> Checkpoints(string jobName) =>
        IdDirectories(JobDirectory(jobName), CheckpointPrefix, name => name);

    public List<CheckpointDirectory> Savepoints(string jobName) =>
        savepointRoot is null ? [] : IdDirectories(Path.Combine(savepointRoot, jobName), SavepointPrefix, name => name.Split('-')[0]);

    /// <summary>The highest id in any checkpoint or savepoint directory, complete or not, or in <c>_highest-id</c>.</summary>
    public async ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken)
    {
        var fromDirectories = Checkpoints(jobName).Concat(Savepoints(jobName)).Select(d => d.Id).DefaultIfEmpty(0).Max();
        var reserved = await ReadHighestIdFileAsync(jobName, cancellationToken);
        return new CheckpointId(Math.Max(fromDirectories, reserved.Value));
    }

    public async ValueTask<CheckpointId> ReadHighestIdFileAsync(string jobName, CancellationToken cancellationToken)
    {
        var path = Path.Combine(JobDirectory(jobName), HighestIdFileName);
        if (!File.Exists(path))
        {
            return CheckpointId.None;
        }

        var text = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            // Guessing could reuse a checkpoint id, and with it a sink's transaction ids: fail loudly instead.
            throw new InvalidDataException(
                $"'{path}' should hold the highest checkpoint id of job '{jobName}' but holds '{text}'. " +
                "Write the highest id ever used (at least the highest chk-<n>) into it, or delete it if no checkpoint of this job was ever taken.");
        }

        return new CheckpointId(value);
    }

    /// <summary>Raises <c>_highest-id</c> to <paramref name="id"/> (atomically replaced); never lowers it.</summary>
    public async ValueTask RaiseHighestIdAsync(string jobName, CheckpointId id, CancellationToken cancellationToken)
    {
        if (id <= await ReadHighestIdFileAsync(jobName, cancellationToken))
        {
            return;
        }

        await DurableFiles.ReplaceAsync(
            Path.Combine(JobDirectory(jobName), HighestIdFileName),
            Encoding.ASCII.GetBytes(id.Value.ToString(CultureInfo.InvariantCulture) + "\n"),
            cancellationToken);
    }

    // _metadata goes first, so a crash half way leaves an incomplete directory rather than a corrupt one.
    public static void DeleteCheckpointDirectory(string path)
    {
        File.Delete(Path.Combine(path, CheckpointDirectoryWriter.MetadataFileName));
        DurableFiles.FlushDirectory(path);
        Directory.Delete(path, recursive: true);
    }

    private static List<CheckpointDirectory> IdDirectories(string parent, string prefix, Func<string, string> idPart)
    {
        if (!Directory.Exists(parent))
        {
            return [];
        }

        var found = new List<CheckpointDirectory>();
        foreach (var path in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            if (long.TryParse(idPart(Path.GetFileName(path)[prefix.Length..]), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                found.Add(new CheckpointDirectory(id, path, CheckpointDirectoryReader.IsComplete(path)));
            }
        }

        return found;
    }
}
