namespace Etl.Pipeline.State;

/// <summary>
/// Flink's key-group arithmetic: a key hashes into one of <c>maxParallelism</c> key groups, and each
/// subtask owns a contiguous range of them, so keyed state moves in whole key groups on rescaling.
/// </summary>
public static class KeyGroups
{
    /// <summary>The default number of key groups (Flink's lower bound for its default).</summary>
    public const int DefaultMaxParallelism = 128;

    /// <summary>The key group of a key, from its stable hash (see <see cref="StableHash"/>).</summary>
    public static int Of(int stableKeyHash, int maxParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParallelism);
        // Murmur finalizer spreads poorly distributed hashes before the modulo, as Flink does.
        var mixed = StableHash.Mix(stableKeyHash);
        return (int)((uint)mixed % (uint)maxParallelism);
    }

    /// <summary>The subtask that owns <paramref name="keyGroup"/>.</summary>
    public static int SubtaskOf(int keyGroup, int parallelism, int maxParallelism) =>
        (int)((long)keyGroup * parallelism / maxParallelism);

    /// <summary>The key groups that subtask <paramref name="subtaskIndex"/> owns.</summary>
    public static KeyGroupRange RangeOf(int subtaskIndex, int parallelism, int maxParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallelism);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parallelism, maxParallelism);
        ArgumentOutOfRangeException.ThrowIfNegative(subtaskIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(subtaskIndex, parallelism);
        var first = (int)(((long)subtaskIndex * maxParallelism + parallelism - 1) / parallelism);
        var last = (int)((((long)subtaskIndex + 1) * maxParallelism - 1) / parallelism);
        return new KeyGroupRange(first, last);
    }
}
