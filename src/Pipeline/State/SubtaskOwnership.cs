namespace Etl.Pipeline.State;

/// <summary>
/// The one rule for what a subtask owns of what an earlier run left behind (DESIGN 4): the operator state, prepared
/// transactions and staged rows of old subtask j belong to new subtask j mod parallelism, so that after a change of
/// parallelism every old index has exactly one owner (its own index when it still exists). Kafka partition p is owned
/// the same way. Key groups follow <see cref="KeyGroups"/> instead.
/// </summary>
public static class SubtaskOwnership
{
    /// <summary>The subtask, of <paramref name="parallelism"/>, that owns what index <paramref name="index"/> left (or partition <paramref name="index"/>).</summary>
    public static int OwnerOf(int index, int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallelism);
        return index % parallelism;
    }

    /// <summary>Whether subtask <paramref name="subtaskIndex"/> of <paramref name="parallelism"/> owns what index <paramref name="index"/> left.</summary>
    public static bool Owns(int subtaskIndex, int index, int parallelism) => OwnerOf(index, parallelism) == subtaskIndex;
}
