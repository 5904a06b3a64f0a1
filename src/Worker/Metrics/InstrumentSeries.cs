namespace Etl.Worker.Metrics;

/// <summary>The aggregated value of one instrument for one set of tags.</summary>
internal sealed class InstrumentSeries(IReadOnlyList<KeyValuePair<string, string>> labels, double[]? bucketBounds)
{
    // Guards every field below: measurements arrive from any thread, scrapes read them.
    private readonly Lock _lock = new();
    private readonly long[] _bucketCounts = new long[(bucketBounds?.Length ?? 0) + 1];
    private double _value;
    private long _count;

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

    /// <summary>Counters and up-down counters add; histograms record.</summary>
    public void Add(double value)
    {
        lock (_lock)
        {
            _value += value;
            _count++;
            if (bucketBounds is not null)
            {
                var i = 0;
                while (i < bucketBounds.Length && value > bucketBounds[i])
                {
                    i++;
                }

                _bucketCounts[i]++;
            }
        }
    }

    /// <summary>Gauges keep the last value.</summary>
    public void Set(double value)
    {
        lock (_lock)
        {
            _value = value;
        }
    }

    public IEnumerable<MetricSample> Samples(MetricType type)
    {
        lock (_lock)
        {
            if (type != MetricType.Histogram || bucketBounds is null)
            {
                return [new MetricSample("", Labels, _value)];
            }

            var samples = new List<MetricSample>(bucketBounds.Length + 3);
            long cumulative = 0;
            for (var i = 0; i <= bucketBounds.Length; i++)
            {
                cumulative += _bucketCounts[i];
                var le = i < bucketBounds.Length ? PrometheusText.Number(bucketBounds[i]) : "+Inf";
                samples.Add(new MetricSample("_bucket", [.. Labels, new("le", le)], cumulative));
            }

            samples.Add(new MetricSample("_sum", Labels, _value));
            samples.Add(new MetricSample("_count", Labels, _count));
            return samples;
        }
    }
}
