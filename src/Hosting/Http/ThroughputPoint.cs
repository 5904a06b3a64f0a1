namespace Etl.Hosting.Http;

/// <summary>Records per second by operator id over the second before <paramref name="At"/>.</summary>
internal sealed record ThroughputPoint(DateTimeOffset At, IReadOnlyDictionary<string, double> RecordsInPerSecond, IReadOnlyDictionary<string, double> RecordsOutPerSecond);
