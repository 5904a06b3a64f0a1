namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>A byte range inside a state file.</summary>
internal sealed record StateSlice(long Offset, int Length);
