using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Etl.Hosting.Metrics;

namespace Etl.Hosting.Http;

/// <summary>
/// What the job page shows of the "Etl" meter, read with a <see cref="MeterListener"/> beside the OpenTelemetry
/// SDK: the same instruments as GET /metrics, so the page and Prometheus never disagree. Totals since the
/// worker started: records in and out per operator, back-pressured time per subtask, dead letters per reason;
/// and the latest Kafka lag per partition (checkpointed and read). Measurements arrive on any thread.
/// </summary>
internal sealed class JobPageReadings : IDisposable
{
    public const string RecordsIn = "etl.records.in";
    public const string RecordsOut = "etl.records.out";
    public const string BackPressuredTime = "etl.subtask.backpressured_time";
    public const string DeadLetters = "etl.sink.dead_letters";
    public const string CheckpointLag = "etl.kafka.consumer_lag";
    public const string ReadLag = "etl.kafka.client.consumer_lag";

    private static readonly HashSet<string> Instruments = [RecordsIn, RecordsOut, BackPressuredTime, DeadLetters, CheckpointLag, ReadLag];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Total> _recordsIn = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Total> _recordsOut = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Operator, int Subtask), Total> _backPressuredMicroseconds = new();
    private readonly ConcurrentDictionary<string, Total> _deadLetters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Topic, int Partition), long> _checkpointLag = new();
    private readonly ConcurrentDictionary<(string Topic, int Partition), long> _readLag = new();

    public JobPageReadings()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WorkerTelemetry.MeterName && Instruments.Contains(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnMeasurement(instrument, (long)(value * 1000), tags, null));
        _listener.Start();
    }

    public IReadOnlyDictionary<string, long> RecordsInTotals => Read(_recordsIn);

    public IReadOnlyDictionary<string, long> RecordsOutTotals => Read(_recordsOut);

    /// <summary>Back-pressured time per (operator, subtask), in microseconds.</summary>
    public IReadOnlyDictionary<(string Operator, int Subtask), long> BackPressuredMicroseconds => Read(_backPressuredMicroseconds);

    public IReadOnlyDictionary<string, long> DeadLetterTotals => Read(_deadLetters);

    public IReadOnlyDictionary<(string Topic, int Partition), long> CheckpointLagByPartition => new Dictionary<(string, int), long>(_checkpointLag);

    public IReadOnlyDictionary<(string Topic, int Partition), long> ReadLagByPartition => new Dictionary<(string, int), long>(_readLag);

    /// <summary>Asks the observable gauges (the lags) for their current values.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case RecordsIn:
                Add(_recordsIn, Tag(tags, "operator"), value);
                break;
            case RecordsOut:
                Add(_recordsOut, Tag(tags, "operator"), value);
                break;
            case BackPressuredTime:
                Add(_backPressuredMicroseconds, (Tag(tags, "operator"), Convert.ToInt32(TagValue(tags, "subtask") ?? 0, System.Globalization.CultureInfo.InvariantCulture)), value);
                break;
            case DeadLetters:
                Add(_deadLetters, Tag(tags, "reason"), value);
                break;
            case CheckpointLag:
                _checkpointLag[Partition(tags)] = value;
                break;
            case ReadLag:
                _readLag[Partition(tags)] = value;
                break;
            default:
                break;
        }
    }

    private static (string Topic, int Partition) Partition(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        (Tag(tags, "topic"), Convert.ToInt32(TagValue(tags, "partition") ?? -1, System.Globalization.CultureInfo.InvariantCulture));

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key) => TagValue(tags, key)?.ToString() ?? "";

    private static object? TagValue(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return null;
    }

    private static void Add<TKey>(ConcurrentDictionary<TKey, Total> totals, TKey key, long value)
        where TKey : notnull =>
        Interlocked.Add(ref totals.GetOrAdd(key, static _ => new Total()).Value, value);

    private static Dictionary<TKey, long> Read<TKey>(ConcurrentDictionary<TKey, Total> totals)
        where TKey : notnull =>
        totals.ToDictionary(t => t.Key, t => Interlocked.Read(ref t.Value.Value));

    private sealed class Total
    {
        public long Value;
    }
}
