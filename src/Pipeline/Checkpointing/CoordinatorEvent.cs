using Etl.Pipeline.State;

namespace Etl.Pipeline.Checkpointing;

/// <summary>What the coordinator loop reacts to, one at a time.</summary>
internal abstract record CoordinatorEvent
{
    private CoordinatorEvent()
    {
    }

    public sealed record Acknowledged(SubtaskId Subtask, CheckpointId Id, OperatorSnapshot Snapshot) : CoordinatorEvent;

    public sealed record Declined(SubtaskId Subtask, CheckpointId Id, Exception Error) : CoordinatorEvent;

    public sealed record EndOfInput(SubtaskId Subtask) : CoordinatorEvent;

    public sealed record TriggerRequested(
        CheckpointKind Kind, bool StopAfter, TaskCompletionSource<CheckpointHandle> Completion) : CoordinatorEvent;

    public sealed record Tick(TaskCompletionSource Done) : CoordinatorEvent;
}
