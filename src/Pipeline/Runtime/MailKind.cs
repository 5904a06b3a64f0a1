namespace Etl.Pipeline.Runtime;

/// <summary>What the coordinator asks of a subtask.</summary>
internal enum MailKind
{
    /// <summary>Sources only: snapshot and emit the barrier between two polls.</summary>
    TriggerCheckpoint,
    NotifyComplete,
    NotifyAborted,

    /// <summary>Leave the loop: the job finished (after end of input or stop-with-savepoint).</summary>
    Stop,
}
