using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Etl.Worker.Metrics;

/// <summary>
/// Listens to every instrument of the "Etl" meter (runtime, windows, Kafka source, sink, worker) and keeps
/// the aggregated values for /metrics: counters and up-down counters sum, histograms bucket, observable
/// instruments are read at scrape time.
/// </summary>
internal sealed class MeterCollector : IDisposable
{
    public const string MeterName = "Etl";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, InstrumentSeries>> _series = new();

    // Serialises scrapes: RecordObservableInstruments writes gauge values that Snapshot then reads.
    private readonly Lock _scrape = new();

    public MeterCollector(string meterName = MeterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                _series.TryAdd(instrument, new ConcurrentDictionary<string, InstrumentSeries>(StringComparer.Ordinal));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Record(i, (double)v, tags));
        _listener.Start();
    }

    /// <summary>The current values as Prometheus metric families.</summary>
    public IReadOnlyList<MetricFamily> Snapshot()
    {
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
            var families = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
            foreach (var (instrument, series) in _series)
            {
                var type = TypeOf(instrument);
                var name = PrometheusNames.Metric(instrument.Name, instrument.Unit, type);
                var samples = series.Values.OrderBy(s => string.Join(',', s.Labels), StringComparer.Ordinal).SelectMany(s => s.Samples(type)).ToList();
                if (families.TryGetValue(name, out var existing))
                {
                    // The same instrument name can be created by several Meter instances named "Etl".
                    families[name] = existing with { Samples = [.. existing.Samples, .. samples] };
                }
                else
                {
                    families[name] = new MetricFamily(name, type, instrument.Description ?? instrument.Name, samples);
                }
            }

            return [.. families.Values];
        }
    }

    public string ToPrometheusText() => PrometheusText.Format(Snapshot());

    public void Dispose() => _listener.Dispose();

    private static MetricType TypeOf(Instrument instrument) => instrument switch
    {
        Counter<long> or Counter<int> or Counter<double> or Counter<float> or Counter<decimal> => MetricType.Counter,
        ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => MetricType.Counter,
        Histogram<long> or Histogram<int> or Histogram<double> or Histogram<float> or Histogram<decimal> => MetricType.Histogram,
        _ => MetricType.Gauge,
    };

    private static bool IsCumulativeObservation(Instrument instrument) =>
        instrument.IsObservable || instrument is Gauge<long> or Gauge<int> or Gauge<double> or Gauge<float> or Gauge<decimal>;

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_series.TryGetValue(instrument, out var byTags))
        {
            return;
        }

        var labels = Labels(tags);
        var key = string.Join('\u001f', labels.Select(l => l.Key + "=" + l.Value));
        var type = TypeOf(instrument);
        var series = byTags.GetOrAdd(key, _ => new InstrumentSeries(labels, type == MetricType.Histogram ? HistogramBuckets.For(instrument.Unit) : null));
        if (IsCumulativeObservation(instrument))
        {
            // Observable instruments report the current (cumulative) value on each scrape.
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    private static List<KeyValuePair<string, string>> Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var (key, value) in tags)
        {
            labels.Add(new(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        }

        labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return labels;
    }
}
