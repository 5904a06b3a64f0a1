namespace Etl.Pipeline.State;

/// <summary>
/// One subtask's part of a checkpoint for one operator: its operator state (not keyed, owned by the
/// subtask) and its keyed state split by key group, so keyed state can be redistributed when the
/// parallelism changes (DESIGN 8). Each byte array is one small versioned record.
/// </summary>
public sealed record OperatorSnapshot(byte[]? OperatorState, IReadOnlyList<KeyGroupState> KeyedState)
{
    /// <summary>Nothing to keep.</summary>
    public static OperatorSnapshot Empty { get; } = new(null, []);

    /// <summary>Only operator state.</summary>
    public static OperatorSnapshot Of(byte[] operatorState) => new(operatorState, []);

    /// <summary>The total size in bytes, for metrics and storage caps.</summary>
    public long SizeInBytes => (OperatorState?.LongLength ?? 0) + KeyedState.Sum(k => (long)k.Data.Length);
}
