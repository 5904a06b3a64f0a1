namespace Etl.Pipeline.State;

/// <summary>
/// What a subtask gets back from the checkpoint a job restores from.
/// </summary>
/// <param name="CheckpointId">The checkpoint (or savepoint) restored from.</param>
/// <param name="OldParallelism">The parallelism of this operator when the checkpoint was taken.</param>
/// <param name="OperatorState">
/// The operator state of the old subtasks j with j mod parallelism == this subtask's index: its own
/// state when the parallelism did not change, and the orphaned subtasks' state after a scale-down.
/// </param>
/// <param name="UnionOperatorState">
/// The operator state of every old subtask. Sources use it to find the positions of partitions that
/// moved to them after a parallelism change.
/// </param>
/// <param name="KeyedState">The keyed state of the key groups in this subtask's range.</param>
public sealed record RestoredState(
    CheckpointId CheckpointId,
    int OldParallelism,
    IReadOnlyList<SubtaskState> OperatorState,
    IReadOnlyList<SubtaskState> UnionOperatorState,
    IReadOnlyList<KeyGroupState> KeyedState);
