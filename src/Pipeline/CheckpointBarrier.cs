namespace Etl.Pipeline;

/// <summary>
/// The marker that splits a stream into the part before checkpoint <see cref="Id"/> and the part after.
/// <see cref="Timestamp"/> is the wall-clock trigger time in Unix milliseconds.
/// </summary>
public readonly record struct CheckpointBarrier(CheckpointId Id, long Timestamp, CheckpointKind Kind);
