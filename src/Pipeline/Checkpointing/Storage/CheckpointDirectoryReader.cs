using Etl.Pipeline.State;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// Reads a checkpoint or savepoint directory and proves it intact before returning anything: the
/// <c>_metadata</c> checksum, then each state file's size and SHA-256, then every slice's bounds. Any failure is a
/// <see cref="CorruptCheckpointException"/> naming the directory.
/// </summary>
internal static class CheckpointDirectoryReader
{
    public static bool IsComplete(string directory) =>
        File.Exists(Path.Combine(directory, CheckpointDirectoryWriter.MetadataFileName));

    /// <summary>
    /// Whether the directory cannot even be listed (permission denied, I/O error). <see cref="IsComplete"/> says false for
    /// it, because <see cref="File.Exists"/> hides the error; a restore must report such a directory, not take it for one
    /// that never completed.
    /// </summary>
    public static bool IsUnlistable(string directory)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(directory).GetEnumerator();
            entries.MoveNext();
            return false;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return true;
        }
    }

    public static async ValueTask<CheckpointMetadata> ReadMetadataAsync(string directory, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(Path.Combine(directory, CheckpointDirectoryWriter.MetadataFileName), cancellationToken);
        }
        catch (FileNotFoundException e)
        {
            throw CheckpointNotFoundException.At(directory, $"it has no {CheckpointDirectoryWriter.MetadataFileName}, so it never completed ({e.Message}).");
        }

        return CheckpointMetadataFormat.Decode(bytes, directory);
    }

    /// <summary>The verified checkpoint and the bytes it occupies on disk.</summary>
    public static async ValueTask<(CheckpointData Checkpoint, long SizeInBytes)> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var metadata = await ReadMetadataAsync(directory, cancellationToken);
        var checkpoint = await AssembleAsync(directory, metadata, (uid, subtask, ct) => ReadStateFileAsync(directory, uid, subtask, ct), cancellationToken);
        return (checkpoint, SizeOf(directory, metadata));
    }

    /// <summary>
    /// Builds the checkpoint a verified <c>_metadata</c> describes, reading each subtask's state with
    /// <paramref name="readState"/> and checking its size, SHA-256 and slices (every storage restores through this).
    /// </summary>
    public static async ValueTask<CheckpointData> AssembleAsync(
        string location,
        CheckpointMetadata metadata,
        Func<string, SubtaskMetadata, CancellationToken, ValueTask<byte[]>> readState,
        CancellationToken cancellationToken)
    {
        var operators = new Dictionary<string, OperatorCheckpoint>(StringComparer.Ordinal);
        foreach (var op in metadata.Operators)
        {
            if (op.Subtasks.Count != op.Parallelism || operators.ContainsKey(op.Uid))
            {
                throw new CorruptCheckpointException(location, $"_metadata lists operator '{op.Uid}' inconsistently (parallelism {op.Parallelism}, {op.Subtasks.Count} subtasks)");
            }

            var snapshots = new OperatorSnapshot[op.Subtasks.Count];
            foreach (var subtask in op.Subtasks)
            {
                if (subtask.Subtask < 0 || subtask.Subtask >= snapshots.Length || snapshots[subtask.Subtask] is not null)
                {
                    throw new CorruptCheckpointException(location, $"_metadata lists subtask {subtask.Subtask} of operator '{op.Uid}' out of place");
                }

                if (subtask.File.IndexOfAny(['/', '\\']) >= 0 || subtask.File is "." or "..")
                {
                    throw new CorruptCheckpointException(location, $"_metadata names state file '{subtask.File}' outside the checkpoint directory");
                }

                snapshots[subtask.Subtask] = Verify(location, op.Uid, subtask, await readState(op.Uid, subtask, cancellationToken));
            }

            operators.Add(op.Uid, new OperatorCheckpoint(op.Parallelism, op.MaxParallelism, snapshots));
        }

        return new CheckpointData(metadata.JobName, new CheckpointId(metadata.CheckpointId), metadata.Kind, metadata.TimestampUnixMs, operators);
    }

    /// <summary>The bytes a checkpoint occupies on disk, from its metadata alone.</summary>
    public static long SizeOf(string directory, CheckpointMetadata metadata) =>
        new FileInfo(Path.Combine(directory, CheckpointDirectoryWriter.MetadataFileName)).Length +
        metadata.Operators.Sum(o => o.Subtasks.Sum(s => s.SizeInBytes));

    private static async ValueTask<byte[]> ReadStateFileAsync(string directory, string uid, SubtaskMetadata subtask, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(Path.Combine(directory, subtask.File), cancellationToken);
        }
        catch (FileNotFoundException e)
        {
            throw new CorruptCheckpointException(directory, $"state file '{subtask.File}' of operator '{uid}' is missing", e);
        }
    }

    private static OperatorSnapshot Verify(string directory, string uid, SubtaskMetadata subtask, byte[] content)
    {
        if (content.LongLength != subtask.SizeInBytes)
        {
            throw new CorruptCheckpointException(
                directory, $"state file '{subtask.File}' of operator '{uid}' has {content.LongLength} bytes, _metadata recorded {subtask.SizeInBytes}");
        }

        var hash = CheckpointMetadataFormat.Sha256Hex(content);
        if (!string.Equals(hash, subtask.Sha256, StringComparison.Ordinal))
        {
            throw new CorruptCheckpointException(
                directory, $"state file '{subtask.File}' of operator '{uid}' hashes to {hash}, _metadata recorded {subtask.Sha256}");
        }

        var operatorState = subtask.OperatorState is { } slice ? Slice(directory, subtask, content, slice.Offset, slice.Length) : null;
        var keyed = subtask.KeyGroups
            .Select(g => new KeyGroupState(g.KeyGroup, Slice(directory, subtask, content, g.Offset, g.Length)))
            .ToList();
        return new OperatorSnapshot(operatorState, keyed);
    }

    private static byte[] Slice(string directory, SubtaskMetadata subtask, byte[] content, long offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > content.LongLength)
        {
            throw new CorruptCheckpointException(
                directory, $"_metadata points at bytes {offset}..{offset + length} of '{subtask.File}', which has {content.LongLength}");
        }

        return content.AsSpan((int)offset, length).ToArray();
    }
}
