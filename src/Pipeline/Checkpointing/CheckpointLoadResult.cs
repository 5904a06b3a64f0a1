namespace Etl.Pipeline.Checkpointing;

/// <summary>The checkpoint chosen for restore, if any, and the ones passed over with the reason.</summary>
public sealed record CheckpointLoadResult(CheckpointData? Checkpoint, IReadOnlyList<SkippedCheckpoint> Skipped);
