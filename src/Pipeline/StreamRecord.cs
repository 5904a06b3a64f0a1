namespace Etl.Pipeline;

/// <summary>A value with its event time (Unix milliseconds).</summary>
public readonly record struct StreamRecord<T>(T Value, long Timestamp);
