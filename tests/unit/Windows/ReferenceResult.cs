namespace Etl.Tests.Unit.Windows;

/// <summary>Every result a window operator must emit for a stream (as a multiset) and the ids of the late records.</summary>
/// <param name="Bridges">How many records joined two or more sessions (session model only).</param>
public sealed record ReferenceResult(IReadOnlyList<Emission> Emissions, IReadOnlyList<long> LateIds, int Bridges = 0);
