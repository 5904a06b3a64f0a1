using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Faults;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// What every subtask of one attempt shares or is given: its context, mailbox and coordinator, the crash tests'
/// fault points, and <see cref="SinkOpened"/>, which a sink subtask calls once it has opened (restored).
/// </summary>
internal sealed record SubtaskEnvironment(
    OperatorContext Context, CheckpointCoordinator Coordinator, CheckpointingMode Mode, Mailbox Mailbox, IFaultInjector Faults, Action SinkOpened)
{
    public SubtaskId Id { get; } = new(Context.OperatorId, Context.SubtaskIndex);
}
