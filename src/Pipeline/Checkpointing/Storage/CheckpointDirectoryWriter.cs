using Etl.Pipeline.State;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// Writes one checkpoint or savepoint into its (empty) directory in the order that makes it atomic: state files,
/// fsynced; the directory, fsynced; <c>_metadata.inprogress</c>, fsynced; renamed to <c>_metadata</c>; the directory,
/// fsynced. Until the rename the directory is incomplete and never restored.
/// </summary>
internal static class CheckpointDirectoryWriter
{
    public const string MetadataFileName = "_metadata";
    public const string InProgressSuffix = ".inprogress";

    /// <summary>Returns the bytes written (state files and metadata).</summary>
    public static async ValueTask<long> WriteAsync(string directory, CheckpointData checkpoint, CancellationToken cancellationToken)
    {
        var operators = new List<OperatorMetadata>(checkpoint.Operators.Count);
        var fileNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (var (uid, op) in checkpoint.Operators.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var subtasks = new List<SubtaskMetadata>(op.Subtasks.Count);
            for (var i = 0; i < op.Subtasks.Count; i++)
            {
                var fileName = StateFileNames.For(uid, i);
                if (!fileNames.Add(fileName))
                {
                    throw new InvalidOperationException($"Operator uids of checkpoint {checkpoint.Id} map to the same state file '{fileName}'.");
                }

                var (content, metadata) = Layout(op.Subtasks[i], i, fileName);
                await DurableFiles.WriteNewAsync(Path.Combine(directory, fileName), content, cancellationToken);
                subtasks.Add(metadata);
                total += content.Length;
            }

            operators.Add(new OperatorMetadata(uid, op.Parallelism, op.MaxParallelism, subtasks));
        }

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
        DurableFiles.FlushDirectory(directory);
        return total + metadataBytes.Length;
    }

    private static (byte[] Content, SubtaskMetadata Metadata) Layout(OperatorSnapshot snapshot, int subtask, string fileName)
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
