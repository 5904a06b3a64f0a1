namespace Etl.Pipeline.Checkpointing;

/// <summary>One checkpoint or savepoint as <see cref="CheckpointHistory"/> saw it (Flink's checkpoint history row).</summary>
/// <param name="Attempt">The job attempt that triggered it.</param>
/// <param name="DurationMs">Trigger to durable completion (or to the abort); null while in progress.</param>
/// <param name="SizeBytes">Size in storage once completed.</param>
/// <param name="Acknowledged">Subtasks that acknowledged it, of <paramref name="Subtasks"/>.</param>
/// <param name="SlowestAck">The subtask that acknowledged last (so far), and how long after the trigger.</param>
/// <param name="SinkPrepareMs">The slowest sink subtask's flush and prepare at the barrier.</param>
/// <param name="SinkCommitMs">The slowest sink subtask's commit after completion (it commits every earlier epoch too).</param>
/// <param name="Failure">Why it failed: the reason and message.</param>
public sealed record CheckpointStats(
    CheckpointId Id,
    CheckpointKind Kind,
    CheckpointStatus Status,
    int Attempt,
    DateTimeOffset TriggeredAt,
    double? DurationMs,
    long? SizeBytes,
    string? Location,
    int Acknowledged,
    int Subtasks,
    SubtaskAck? SlowestAck,
    double? SinkPrepareMs,
    double? SinkCommitMs,
    string? Failure);
