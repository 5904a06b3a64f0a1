namespace Etl.Hosting.Http;

/// <summary>
/// Turns the page's running totals into rates: a sample of every total once a second (the page's loop calls
/// <see cref="Take"/>), kept for the last minutes. Current rates are taken over the last
/// <see cref="RateSeconds"/> seconds; the throughput series is one point per pair of neighbouring samples.
/// </summary>
internal sealed class JobPageSampler(int capacity = JobPageSampler.DefaultCapacity)
{
    /// <summary>Ten minutes of one-second samples.</summary>
    public const int DefaultCapacity = 601;
    public const int RateSeconds = 5;

    // Guards _samples: the sampling loop adds, request threads read.
    private readonly Lock _lock = new();
    private readonly Queue<Sample> _samples = new();

    public void Take(DateTimeOffset at, JobPageReadings readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        Add(new Sample(at, readings.RecordsInTotals, readings.RecordsOutTotals, readings.BackPressuredMicroseconds));
    }

    public void Add(Sample sample)
    {
        lock (_lock)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > capacity)
            {
                _samples.Dequeue();
            }
        }
    }

    /// <summary>Per-second rates over the last <see cref="RateSeconds"/> seconds (fewer just after start; zero before two samples).</summary>
    public Rates Current()
    {
        Sample[] samples;
        lock (_lock)
        {
            samples = [.. _samples.TakeLast(RateSeconds + 1)];
        }

        if (samples.Length < 2)
        {
            return new Rates(new Dictionary<string, double>(), new Dictionary<string, double>(), new Dictionary<(string, int), double>());
        }

        var (older, newer) = (samples[0], samples[^1]);
        var seconds = (newer.At - older.At).TotalSeconds;
        return new Rates(
            PerSecond(newer.RecordsIn, older.RecordsIn, seconds),
            PerSecond(newer.RecordsOut, older.RecordsOut, seconds),
            PerSecond(newer.BackPressuredMicroseconds, older.BackPressuredMicroseconds, seconds * 1000));
    }

    /// <summary>Records in and out per second, one point per second kept, oldest first.</summary>
    public IReadOnlyList<ThroughputPoint> Series()
    {
        Sample[] samples;
        lock (_lock)
        {
            samples = [.. _samples];
        }

        var points = new List<ThroughputPoint>(Math.Max(0, samples.Length - 1));
        for (var i = 1; i < samples.Length; i++)
        {
            var seconds = (samples[i].At - samples[i - 1].At).TotalSeconds;
            points.Add(new ThroughputPoint(
                samples[i].At, PerSecond(samples[i].RecordsIn, samples[i - 1].RecordsIn, seconds),
                PerSecond(samples[i].RecordsOut, samples[i - 1].RecordsOut, seconds)));
        }

        return points;
    }

    private static Dictionary<TKey, double> PerSecond<TKey>(IReadOnlyDictionary<TKey, long> newer, IReadOnlyDictionary<TKey, long> older, double divisor)
        where TKey : notnull =>
        newer.ToDictionary(
            n => n.Key,
            n => divisor <= 0 ? 0 : Math.Max(0, n.Value - older.GetValueOrDefault(n.Key)) / divisor);

    /// <summary>The totals at one moment: records per operator, back-pressured microseconds per (operator, subtask).</summary>
    internal sealed record Sample(
        DateTimeOffset At, IReadOnlyDictionary<string, long> RecordsIn, IReadOnlyDictionary<string, long> RecordsOut,
        IReadOnlyDictionary<(string Operator, int Subtask), long> BackPressuredMicroseconds);

    /// <summary>Records in and out per second by operator; back-pressured milliseconds per second by (operator, subtask).</summary>
    internal sealed record Rates(
        IReadOnlyDictionary<string, double> RecordsIn, IReadOnlyDictionary<string, double> RecordsOut,
        IReadOnlyDictionary<(string Operator, int Subtask), double> BackPressuredMsPerSecond);
}
