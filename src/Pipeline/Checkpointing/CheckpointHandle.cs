namespace Etl.Pipeline.Checkpointing;

/// <summary>A completed checkpoint or savepoint as storage knows it.</summary>
/// <param name="Location">Where it lives, restorable with <c>--from-checkpoint</c>.</param>
public sealed record CheckpointHandle(
    string JobName, CheckpointId Id, CheckpointKind Kind, long TimestampUnixMs, string Location, long SizeInBytes);
