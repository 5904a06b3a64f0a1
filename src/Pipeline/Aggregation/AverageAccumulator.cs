namespace Etl.Pipeline.Aggregation;

/// <summary>The running sum and count of an average; the division happens only in the result.</summary>
public readonly record struct AverageAccumulator(decimal Sum, long Count);
