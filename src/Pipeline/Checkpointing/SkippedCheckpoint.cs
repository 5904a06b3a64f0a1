namespace Etl.Pipeline.Checkpointing;

/// <summary>A retained checkpoint that could not be used (corrupted, truncated, unreadable), and why.</summary>
public sealed record SkippedCheckpoint(string Location, string Reason);
