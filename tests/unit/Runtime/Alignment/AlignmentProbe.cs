namespace Etl.Tests.Unit.Runtime.Alignment;

/// <summary>Shared between the test and the subtasks of one alignment run.</summary>
public sealed class AlignmentProbe
{
    public TaskCompletionSource SlowSourceGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The slow source emitted its record and waits in its poll, so its barrier comes late.</summary>
    public TaskCompletionSource SlowSourceParked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FastSourceDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource OperatorSawPostBarrierRecord { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FastSourceReadyForCheckpoint { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the operator had processed when it took each snapshot, by checkpoint id.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<long, List<Tagged>> Snapshots { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<Tagged> Processed { get; } = new();
}
