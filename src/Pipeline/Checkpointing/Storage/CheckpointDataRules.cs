namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>What every storage checks before it accepts a checkpoint, so both storages refuse the same input.</summary>
internal static class CheckpointDataRules
{
    public static void Validate(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        CheckpointJobNames.Validate(checkpoint.JobName);
        ValidateId(checkpoint.Id);
        if (!Enum.IsDefined(checkpoint.Kind))
        {
            throw new ArgumentException($"Checkpoint {checkpoint.Id} has an unknown kind {checkpoint.Kind}.", nameof(checkpoint));
        }

        foreach (var (uid, op) in checkpoint.Operators)
        {
            if (string.IsNullOrEmpty(uid))
            {
                throw new ArgumentException($"Checkpoint {checkpoint.Id} has an operator with an empty uid.", nameof(checkpoint));
            }

            if (op.Parallelism < 1 || op.MaxParallelism < op.Parallelism)
            {
                throw new ArgumentException(
                    $"Operator '{uid}' in checkpoint {checkpoint.Id} has parallelism {op.Parallelism} and max parallelism {op.MaxParallelism}; " +
                    "parallelism must be at least 1 and at most the max parallelism.",
                    nameof(checkpoint));
            }

            if (op.Subtasks.Count != op.Parallelism)
            {
                throw new ArgumentException(
                    $"Operator '{uid}' in checkpoint {checkpoint.Id} has parallelism {op.Parallelism} but {op.Subtasks.Count} subtask snapshots.",
                    nameof(checkpoint));
            }
        }
    }

    public static void ValidateId(CheckpointId id)
    {
        if (id.Value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id.Value, "Checkpoint ids start at 1.");
        }
    }
}
