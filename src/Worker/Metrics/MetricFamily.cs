namespace Etl.Worker.Metrics;

/// <summary>A metric family in Prometheus text format: one HELP and TYPE line, then its samples.</summary>
internal sealed record MetricFamily(string Name, MetricType Type, string Help, IReadOnlyList<MetricSample> Samples);
