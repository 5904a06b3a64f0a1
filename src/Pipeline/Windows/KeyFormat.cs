using Etl.Pipeline.Aggregation;

namespace Etl.Pipeline.Windows;

/// <summary>What a window operator needs to know about its key type.</summary>
/// <param name="StableHash">
/// A hash that is equal in every process and run (see <see cref="State.StableHash"/>); it picks the
/// key group under which the key's windows are checkpointed. Never string.GetHashCode.
/// </param>
/// <param name="Serializer">Writes the key into checkpoints.</param>
/// <param name="Encode">The key bytes of a late record's dead letter.</param>
public sealed record KeyFormat<TKey>(Func<TKey, int> StableHash, IStateSerializer<TKey> Serializer, Func<TKey, byte[]> Encode)
    where TKey : notnull;
