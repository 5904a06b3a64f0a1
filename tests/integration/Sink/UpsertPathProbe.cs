using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Etl.Connectors.Postgres;

namespace Etl.Tests.Integration.Sink;

/// <summary>Sums the sink's <c>etl.sink.upsert.rows</c> counter per path, for one job only (tests run in parallel).</summary>
internal sealed class UpsertPathProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _rows = new(StringComparer.Ordinal);

    public UpsertPathProbe(string job)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == PostgresSinkMetrics.MeterName && i.Name == PostgresSinkMetrics.UpsertRowsName)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? ofJob = null;
            string? path = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "job")
                {
                    ofJob = tag.Value as string;
                }
                else if (tag.Key == "path")
                {
                    path = tag.Value as string;
                }
            }

            if (ofJob == job && path is not null)
            {
                _rows.AddOrUpdate(path, value, (_, sum) => sum + value);
            }
        });
        _listener.Start();
    }

    public long Copied => _rows.GetValueOrDefault(PostgresSinkMetrics.CopyPath);

    /// <summary>Rows of batches whose COPY hit an existing key and were upserted instead.</summary>
    public long FellBack => _rows.GetValueOrDefault(PostgresSinkMetrics.FallbackPath);

    public long Upserted => _rows.GetValueOrDefault(PostgresSinkMetrics.UpsertPath);

    public void Dispose() => _listener.Dispose();
}
