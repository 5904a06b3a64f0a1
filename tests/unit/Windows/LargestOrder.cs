namespace Etl.Tests.Unit.Windows;

/// <summary>A user accumulator that is a plain record class, checkpointed as JSON.</summary>
public sealed record LargestOrder(long Id, decimal Amount);
