namespace Etl.Pipeline.State;

/// <summary>The keyed state of one key group.</summary>
public sealed record KeyGroupState(int KeyGroup, byte[] Data);
