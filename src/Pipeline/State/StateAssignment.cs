namespace Etl.Pipeline.State;

/// <summary>
/// Decides which part of a checkpoint each subtask restores, also when the parallelism changed:
/// operator state of old subtask j goes to new subtask j mod parallelism (<see cref="SubtaskOwnership"/>), the union of all
/// operator state is offered to every subtask, and keyed state follows key-group ranges.
/// </summary>
public static class StateAssignment
{
    /// <param name="checkpointId">The checkpoint restored from.</param>
    /// <param name="oldSubtasks">The snapshots of the old subtasks, indexed by old subtask index.</param>
    /// <param name="subtaskIndex">The new subtask.</param>
    /// <param name="parallelism">The new parallelism.</param>
    /// <param name="maxParallelism">The number of key groups, which never changes for a job.</param>
    public static RestoredState For(
        CheckpointId checkpointId,
        IReadOnlyList<OperatorSnapshot> oldSubtasks,
        int subtaskIndex,
        int parallelism,
        int maxParallelism)
    {
        ArgumentNullException.ThrowIfNull(oldSubtasks);
        var range = KeyGroups.RangeOf(subtaskIndex, parallelism, maxParallelism);
        var own = new List<SubtaskState>();
        var union = new List<SubtaskState>();
        var keyed = new List<KeyGroupState>();
        for (var j = 0; j < oldSubtasks.Count; j++)
        {
            var snapshot = oldSubtasks[j];
            if (snapshot.OperatorState is { } data)
            {
                union.Add(new SubtaskState(j, data));
                if (SubtaskOwnership.Owns(subtaskIndex, j, parallelism))
                {
                    own.Add(new SubtaskState(j, data));
                }
            }

            foreach (var group in snapshot.KeyedState)
            {
                if (group.KeyGroup < 0 || group.KeyGroup >= maxParallelism)
                {
                    throw new InvalidOperationException(
                        $"Checkpoint {checkpointId} holds key group {group.KeyGroup}, outside 0..{maxParallelism - 1}: " +
                        "the job's max parallelism changed, which would move keys between key groups. Restore with the original max parallelism.");
                }

                if (range.Contains(group.KeyGroup))
                {
                    keyed.Add(group);
                }
            }
        }

        return new RestoredState(checkpointId, oldSubtasks.Count, own, union, keyed);
    }
}
