namespace Etl.Pipeline.Checkpointing;

/// <summary>The checkpoint or savepoint an attempt restored.</summary>
public sealed record RestoredPoint(CheckpointId Id, CheckpointKind Kind, DateTimeOffset TakenAt);
