namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// One operator subtask in <c>_metadata</c>. Its state file is the operator state followed by each key group's
/// bytes, in snapshot order; the slices say where each part lives. A null <see cref="OperatorState"/> means the
/// subtask had no operator state (distinct from an empty one).
/// </summary>
internal sealed record SubtaskMetadata(
    int Subtask,
    string File,
    long SizeInBytes,
    string Sha256,
    StateSlice? OperatorState,
    IReadOnlyList<KeyGroupSlice> KeyGroups);
