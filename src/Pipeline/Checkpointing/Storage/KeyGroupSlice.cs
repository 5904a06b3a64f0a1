namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>Where one key group's state lives inside a state file.</summary>
internal sealed record KeyGroupSlice(int KeyGroup, long Offset, int Length);
