using Etl.Pipeline.Checkpointing;

namespace Etl.Pipeline.Runtime;

/// <summary>What every subtask of one attempt shares or is given: its context, mailbox and coordinator.</summary>
internal sealed record SubtaskEnvironment(
    OperatorContext Context, CheckpointCoordinator Coordinator, CheckpointingMode Mode, Mailbox Mailbox)
{
    public SubtaskId Id { get; } = new(Context.OperatorId, Context.SubtaskIndex);
}
