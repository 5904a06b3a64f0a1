using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Graph;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// Which state each subtask restores from a checkpoint (via <see cref="StateAssignment"/>, so the
/// parallelism may have changed). Refuses state of operators the job does not have, unless
/// allow-non-restored-state is set.
/// </summary>
internal sealed class RestorePlan
{
    private readonly CheckpointData? _checkpoint;
    private readonly int _maxParallelism;

    private RestorePlan(CheckpointData? checkpoint, int maxParallelism)
    {
        _checkpoint = checkpoint;
        _maxParallelism = maxParallelism;
    }

    public CheckpointId? CheckpointId => _checkpoint?.Id;

    /// <exception cref="InvalidOperationException">The checkpoint does not fit the job; restarting would not help.</exception>
    public static RestorePlan For(JobGraph graph, CheckpointData? checkpoint, JobOptions options)
    {
        if (checkpoint is null)
        {
            return new RestorePlan(null, options.MaxParallelism);
        }

        var known = graph.OperatorIds.ToHashSet(StringComparer.Ordinal);
        foreach (var (uid, state) in checkpoint.Operators)
        {
            if (!known.Contains(uid))
            {
                if (options.AllowNonRestoredState)
                {
                    continue;
                }

                throw new InvalidOperationException(
                    $"Checkpoint {checkpoint.Id} of job '{checkpoint.JobName}' holds state for operator '{uid}', which this job does not have. " +
                    "Give the operator its old uid back, or restore with AllowNonRestoredState (--allow-non-restored-state) to drop that state.");
            }

            if (state.MaxParallelism != options.MaxParallelism)
            {
                throw new InvalidOperationException(
                    $"Checkpoint {checkpoint.Id} stored operator '{uid}' with max parallelism {state.MaxParallelism}, but MaxParallelism is {options.MaxParallelism}. " +
                    "Max parallelism fixes the key groups for the life of the state; restore with the original value.");
            }

            if (state.Subtasks.Count != state.Parallelism)
            {
                throw new InvalidOperationException(
                    $"Checkpoint {checkpoint.Id} is inconsistent: operator '{uid}' has parallelism {state.Parallelism} but {state.Subtasks.Count} subtask snapshots.");
            }
        }

        return new RestorePlan(checkpoint, options.MaxParallelism);
    }

    /// <summary>The state of one subtask, or null on a fresh start or for an operator new to the job.</summary>
    public RestoredState? StateOf(string operatorId, int subtaskIndex, int parallelism)
    {
        if (_checkpoint is null)
        {
            return null;
        }

        return _checkpoint.Operators.TryGetValue(operatorId, out var state)
            ? StateAssignment.For(_checkpoint.Id, state.Subtasks, subtaskIndex, parallelism, _maxParallelism)
            : null;
    }
}
