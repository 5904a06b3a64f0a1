namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>One operator in <c>_metadata</c>: its uid and the state file of each subtask, indexed by subtask.</summary>
internal sealed record OperatorMetadata(string Uid, int Parallelism, int MaxParallelism, IReadOnlyList<SubtaskMetadata> Subtasks);
