using Etl.Pipeline.State;

namespace Etl.Pipeline.Checkpointing;

/// <summary>One operator's part of a checkpoint: the snapshot of each subtask, indexed by subtask.</summary>
public sealed record OperatorCheckpoint(int Parallelism, int MaxParallelism, IReadOnlyList<OperatorSnapshot> Subtasks);
