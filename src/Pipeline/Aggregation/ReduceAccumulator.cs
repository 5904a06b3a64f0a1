namespace Etl.Pipeline.Aggregation;

/// <summary>The running value of a reduce: empty until the window's first record.</summary>
public readonly record struct ReduceAccumulator<T>(bool HasValue, T Value);
