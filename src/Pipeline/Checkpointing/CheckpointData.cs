namespace Etl.Pipeline.Checkpointing;

/// <summary>Everything one checkpoint holds: per operator uid, the snapshots of its subtasks.</summary>
public sealed record CheckpointData(
    string JobName,
    CheckpointId Id,
    CheckpointKind Kind,
    long TimestampUnixMs,
    IReadOnlyDictionary<string, OperatorCheckpoint> Operators);
