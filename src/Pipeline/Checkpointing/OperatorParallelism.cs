namespace Etl.Pipeline.Checkpointing;

/// <summary>An operator's uid and its number of subtasks.</summary>
public sealed record OperatorParallelism(string OperatorId, int Parallelism);
