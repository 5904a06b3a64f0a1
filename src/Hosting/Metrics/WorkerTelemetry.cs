using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Etl.Hosting.Metrics;

/// <summary>
/// The worker's metrics: the OpenTelemetry SDK reads every instrument of the "Etl" meter (runtime, windows,
/// Kafka source and client statistics, sink, worker). The Prometheus exporter serves them on the endpoint's
/// GET /metrics; OTLP export runs as well when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the
/// other OTEL_EXPORTER_OTLP_* and OTEL_METRIC_EXPORT_* variables itself).
/// </summary>
internal static class WorkerTelemetry
{
    public const string MeterName = "Etl";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddWorkerMetrics(this IServiceCollection services, IConfiguration configuration, string jobName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService("etl");
                }

                resource.AddAttributes([new("etl.job", jobName)]);
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MeterName)
                    .AddView(Buckets)
                    // No otel_scope_* labels: every series keeps exactly the labels its instrument records
                    // (README "Metrics"); the scope is always the one "Etl" meter.
                    .AddPrometheusExporter(prometheus => prometheus.ScopeInfoEnabled = false);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return services;
    }

    /// <summary>Histogram bucket bounds by unit (OpenTelemetry's defaults stop at 10,000, which fits neither bytes nor long checkpoints).</summary>
    private static MetricStreamConfiguration? Buckets(Instrument instrument) =>
        instrument is Histogram<double> or Histogram<long> or Histogram<int> or Histogram<float>
            ? new ExplicitBucketHistogramConfiguration { Boundaries = HistogramBuckets.For(instrument.Unit) }
            : null;
}
