namespace Etl.Pipeline.State;

/// <summary>The operator state one subtask wrote into a checkpoint, with the index it had then.</summary>
public sealed record SubtaskState(int SubtaskIndex, byte[] Data);
