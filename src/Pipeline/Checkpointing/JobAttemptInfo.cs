namespace Etl.Pipeline.Checkpointing;

/// <summary>A job attempt as <see cref="CheckpointHistory"/> records it: when it started, its operators and what it restored.</summary>
/// <param name="Operators">Operator uid and parallelism, in graph order (sources first).</param>
/// <param name="RestoredFrom">The checkpoint or savepoint it restored; null when it started from nothing.</param>
public sealed record JobAttemptInfo(int Attempt, DateTimeOffset StartedAt, IReadOnlyList<OperatorParallelism> Operators, RestoredPoint? RestoredFrom);
