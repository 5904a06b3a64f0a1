namespace Etl.Tests.Unit.Windows;

/// <summary>A window result flattened for comparison with the reference model.</summary>
public readonly record struct Emission(string Key, long Start, long End, TraceAccumulator Value, bool Late, long Timestamp, bool Retraction = false)
{
    public override string ToString() => Retraction
        ? $"{Key} retract {Start} @{Timestamp}"
        : $"{Key}[{Start},{End}) n={Value.Count} sum={Value.Sum} h={Value.IdHash}{(Late ? " late" : "")} @{Timestamp}";
}
