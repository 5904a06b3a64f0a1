using Etl.Pipeline.State;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// Writes one checkpoint or savepoint into its (empty) directory in the order that makes it atomic: state files,
/// fsynced; the directory, fsynced; <c>_metadata.inprogress</c>, fsynced; renamed to <c>_metadata</c>. Until the rename
/// the directory is incomplete and never restored; the rename is the commit point, and what follows it (the directory
/// flush, retention) is the storage's, whose failures no longer fail the checkpoint.
/// </summary>
internal static class CheckpointDirectoryWriter
{
    public const string MetadataFileName = "_metadata";
    public const string InProgressSuffix = ".inprogress";

    private const int MaxConcurrentWrites = 8;

    /// <summary>Returns the bytes written (state files and metadata).</summary>
    public static async ValueTask<long> WriteAsync(string directory, CheckpointData checkpoint, CancellationToken cancellationToken)
    {
        var ordered = checkpoint.Operators.OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        var files = new List<(string FileName, OperatorSnapshot Snapshot, int Subtask)>();
        var fileNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (uid, op) in ordered)
        {
            for (var i = 0; i < op.Subtasks.Count; i++)
            {
                var fileName = StateFileNames.For(uid, i);
                if (!fileNames.Add(fileName))
                {
                    throw new InvalidOperationException($"Operator uids of checkpoint {checkpoint.Id} map to the same state file '{fileName}'.");
                }

                files.Add((fileName, op.Subtasks[i], i));
            }
        }

        // Files are written and fsynced concurrently: the file system batches concurrent fsyncs into fewer
        // journal commits, which dominates the commit time of small checkpoints.
        var written = new SubtaskMetadata[files.Count];
        await Parallel.ForAsync(
            0,
            files.Count,
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentWrites, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var (fileName, snapshot, subtask) = files[index];
                var (content, metadata) = Layout(snapshot, subtask, fileName);
                await DurableFiles.WriteNewAsync(Path.Combine(directory, fileName), content, ct);
                written[index] = metadata;
            });

        var operators = new List<OperatorMetadata>(ordered.Count);
        var next = 0;
        foreach (var (uid, op) in ordered)
        {
            operators.Add(new OperatorMetadata(uid, op.Parallelism, op.MaxParallelism, written[next..(next + op.Subtasks.Count)]));
            next += op.Subtasks.Count;
        }

        var total = written.Sum(w => w.SizeInBytes);

        // State file entries must be durable before _metadata can point at them.
        DurableFiles.FlushDirectory(directory);

        var metadataBytes = CheckpointMetadataFormat.Encode(new CheckpointMetadata(
            CheckpointMetadata.CurrentVersion,
            checkpoint.JobName,
            checkpoint.Id.Value,
            checkpoint.Kind,
            checkpoint.TimestampUnixMs,
            operators));
        var inProgress = Path.Combine(directory, MetadataFileName + InProgressSuffix);
        File.Delete(inProgress);
        await DurableFiles.WriteNewAsync(inProgress, metadataBytes, cancellationToken);
        File.Move(inProgress, Path.Combine(directory, MetadataFileName), overwrite: false);
        return total + metadataBytes.Length;
    }

    /// <summary>One subtask's state file: operator state, then each key group, with the metadata that finds them again.</summary>
    public static (byte[] Content, SubtaskMetadata Metadata) Layout(OperatorSnapshot snapshot, int subtask, string fileName)
    {
        var content = new byte[snapshot.SizeInBytes];
        long offset = 0;
        StateSlice? operatorState = null;
        if (snapshot.OperatorState is { } state)
        {
            state.CopyTo(content, offset);
            operatorState = new StateSlice(offset, state.Length);
            offset += state.Length;
        }

        var keyGroups = new List<KeyGroupSlice>(snapshot.KeyedState.Count);
        foreach (var group in snapshot.KeyedState)
        {
            group.Data.CopyTo(content, offset);
            keyGroups.Add(new KeyGroupSlice(group.KeyGroup, offset, group.Data.Length));
            offset += group.Data.Length;
        }

        var metadata = new SubtaskMetadata(
            subtask, fileName, content.LongLength, CheckpointMetadataFormat.Sha256Hex(content), operatorState, keyGroups);
        return (content, metadata);
    }
}
