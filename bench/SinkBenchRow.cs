namespace Etl.Bench;

/// <summary>A window-result-shaped row for <see cref="SinkBenchmark"/>.</summary>
internal sealed record SinkBenchRow(long Id, string Key, long WindowEnd, double Value);
