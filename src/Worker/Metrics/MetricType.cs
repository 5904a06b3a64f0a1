namespace Etl.Worker.Metrics;

/// <summary>Prometheus metric types used by the exporter.</summary>
internal enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
