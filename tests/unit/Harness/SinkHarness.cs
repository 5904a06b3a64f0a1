using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Harness;

/// <summary>Opens and restores sinks under a <see cref="SinkHarness{T}"/>.</summary>
public static class SinkHarness
{
    /// <summary>Opens <paramref name="sink"/> as a fresh subtask.</summary>
    public static Task<SinkHarness<T>> OpenAsync<T>(ISink<T> sink, int subtaskIndex = 0, int parallelism = 1) =>
        OpenWithAsync(sink, HarnessContext.Create(subtaskIndex, parallelism));

    /// <summary>
    /// Opens <paramref name="sink"/> restored from checkpoint <paramref name="checkpointId"/> whose old subtasks
    /// took <paramref name="oldSubtasks"/> (index = old subtask index).
    /// </summary>
    public static Task<SinkHarness<T>> RestoreAsync<T>(
        ISink<T> sink, long checkpointId, IReadOnlyList<OperatorSnapshot> oldSubtasks, int subtaskIndex = 0, int parallelism = 1)
    {
        var restored = StateAssignment.For(
            new CheckpointId(checkpointId), oldSubtasks, subtaskIndex, parallelism, KeyGroups.DefaultMaxParallelism);
        return OpenWithAsync(sink, HarnessContext.Create(subtaskIndex, parallelism, restored: restored));
    }

    private static async Task<SinkHarness<T>> OpenWithAsync<T>(ISink<T> sink, OperatorContext context)
    {
        await sink.OpenAsync(context, CancellationToken.None);
        return new SinkHarness<T>(sink, context);
    }
}
