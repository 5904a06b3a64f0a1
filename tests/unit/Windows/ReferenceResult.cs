namespace Etl.Tests.Unit.Windows;

/// <summary>Every result a window operator must emit for a stream (as a multiset) and the ids of the late records.</summary>
public sealed record ReferenceResult(IReadOnlyList<Emission> Emissions, IReadOnlyList<long> LateIds);
