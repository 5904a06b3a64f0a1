namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// The content of a <c>_metadata</c> file (format version <see cref="CurrentVersion"/>): what the checkpoint is
/// and where each operator subtask's state lives, with sizes and SHA-256 hashes so corruption is detected
/// before anything is restored. Operator uids are kept verbatim here; file names are sanitised copies.
/// </summary>
internal sealed record CheckpointMetadata(
    int Version,
    string JobName,
    long CheckpointId,
    CheckpointKind Kind,
    long TimestampUnixMs,
    IReadOnlyList<OperatorMetadata> Operators)
{
    public const int CurrentVersion = 1;
}
