namespace Etl.Pipeline.Checkpointing;

/// <summary>A subtask's acknowledgement of a checkpoint, <paramref name="AfterMs"/> after the trigger.</summary>
public readonly record struct SubtaskAck(SubtaskId Subtask, double AfterMs);
