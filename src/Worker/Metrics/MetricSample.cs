namespace Etl.Worker.Metrics;

/// <summary>One line of a metric family: <c>name{Suffix}{labels} value</c> (suffix is empty, _bucket, _sum or _count).</summary>
internal sealed record MetricSample(string Suffix, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);
