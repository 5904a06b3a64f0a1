using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Harness;

/// <summary>Opens and restores operators under an <see cref="OperatorHarness{TIn,TOut}"/>.</summary>
public static class OperatorHarness
{
    /// <summary>Opens <paramref name="op"/> as a fresh subtask.</summary>
    public static Task<OperatorHarness<TIn, TOut>> OpenAsync<TIn, TOut>(
        IOperator<TIn, TOut> op, TimeProvider? time = null, int subtaskIndex = 0, int parallelism = 1,
        int maxParallelism = KeyGroups.DefaultMaxParallelism) =>
        OpenWithAsync(op, HarnessContext.Create(subtaskIndex, parallelism, maxParallelism, null, time));

    /// <summary>
    /// Opens <paramref name="op"/> restored from a checkpoint whose old subtasks took
    /// <paramref name="oldSubtasks"/> (index = old subtask index), as subtask
    /// <paramref name="subtaskIndex"/> of <paramref name="parallelism"/>.
    /// </summary>
    public static Task<OperatorHarness<TIn, TOut>> RestoreAsync<TIn, TOut>(
        IOperator<TIn, TOut> op, CheckpointId checkpointId, IReadOnlyList<OperatorSnapshot> oldSubtasks,
        TimeProvider? time = null, int subtaskIndex = 0, int parallelism = 1,
        int maxParallelism = KeyGroups.DefaultMaxParallelism)
    {
        var restored = StateAssignment.For(checkpointId, oldSubtasks, subtaskIndex, parallelism, maxParallelism);
        return OpenWithAsync(op, HarnessContext.Create(subtaskIndex, parallelism, maxParallelism, restored, time));
    }

    public static Task<OperatorHarness<TIn, TOut>> RestoreAsync<TIn, TOut>(
        IOperator<TIn, TOut> op, CheckpointId checkpointId, OperatorSnapshot snapshot, TimeProvider? time = null) =>
        RestoreAsync(op, checkpointId, [snapshot], time);

    private static async Task<OperatorHarness<TIn, TOut>> OpenWithAsync<TIn, TOut>(IOperator<TIn, TOut> op, OperatorContext context)
    {
        await op.OpenAsync(context, CancellationToken.None);
        return new OperatorHarness<TIn, TOut>(op, context);
    }
}
