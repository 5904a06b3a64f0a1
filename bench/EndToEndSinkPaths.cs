using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Etl.Connectors.Postgres;

namespace Etl.Bench;

/// <summary>
/// Rows of one job's PostgreSQL sink by write path (the sink's <c>etl.sink.upsert.rows</c> counter: copy, upsert,
/// fallback, delete), read with a <see cref="MeterListener"/> while the job runs.
/// </summary>
internal sealed class EndToEndSinkPaths : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _rows = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();

    public EndToEndSinkPaths(string job)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PostgresSinkMetrics.MeterName && instrument.Name == PostgresSinkMetrics.UpsertRowsName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, rows, tags, _) =>
        {
            string? path = null;
            var ours = false;
            foreach (var tag in tags)
            {
                ours |= tag.Key == "job" && Equals(tag.Value, job);
                path = tag.Key == "path" ? tag.Value as string : path;
            }

            if (ours && path is not null)
            {
                _rows.AddOrUpdate(path, rows, (_, sum) => sum + rows);
            }
        });
        _listener.Start();
    }

    public override string ToString() =>
        _rows.IsEmpty ? "no upsert rows" : string.Join(", ", _rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value:N0}"));

    public void Dispose() => _listener.Dispose();
}
