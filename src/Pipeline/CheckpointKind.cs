namespace Etl.Pipeline;

/// <summary>What a barrier asks the subtasks to take.</summary>
public enum CheckpointKind
{
    /// <summary>A periodic checkpoint, owned and retained by the runtime.</summary>
    Checkpoint,

    /// <summary>A user-triggered, self-contained savepoint the runtime never deletes.</summary>
    Savepoint,
}
