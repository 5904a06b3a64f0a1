namespace Etl.Hosting.Http;

/// <summary>One checkpoint or savepoint of GET /job/checkpoints (times in milliseconds).</summary>
/// <param name="Kind"><c>checkpoint</c> or <c>savepoint</c>.</param>
/// <param name="Status"><c>in-progress</c>, <c>completed</c> or <c>failed</c>.</param>
/// <param name="SlowestAck">The subtask that acknowledged last, and how long after the trigger.</param>
/// <param name="SinkPrepareMs">The slowest sink subtask's flush and prepare at the barrier.</param>
/// <param name="SinkCommitMs">The slowest sink subtask's commit once the checkpoint completed.</param>
internal sealed record CheckpointRow(
    long Id, string Kind, string Status, int Attempt, DateTimeOffset TriggeredAt, double? DurationMs, long? SizeBytes, string? Location,
    int Acknowledged, int Subtasks, SlowestAckView? SlowestAck, double? SinkPrepareMs, double? SinkCommitMs, string? Failure);
