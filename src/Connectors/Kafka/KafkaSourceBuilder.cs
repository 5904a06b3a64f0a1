using Etl.Pipeline;
using Etl.Pipeline.Graph;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Builds an exactly-once Kafka source: topics, a deserializer, an event-time extractor and watermark settings, on top
/// of <see cref="KafkaSourceOptions"/>. Pass <see cref="Create"/> to <c>JobBuilder.AddSource</c>:
/// <code>
/// var orders = new KafkaSourceBuilder&lt;Order&gt;()
///     .BootstrapServers("localhost:9092").Topics("orders").Deserializer(new OrderDeserializer())
///     .EventTime(o =&gt; o.Timestamp).BoundedOutOfOrderness(TimeSpan.FromSeconds(5));
/// job.AddSource("orders", orders.Create, parallelism: 2);
/// </code>
/// </summary>
public sealed class KafkaSourceBuilder<T>
{
    private KafkaSourceOptions _options = new();
    private IRecordDeserializer<T>? _deserializer;
    private Func<T, long>? _eventTime;
    private bool _bounded;

    /// <summary>Kafka <c>bootstrap.servers</c> (host:port[,host:port...]). Required.</summary>
    public KafkaSourceBuilder<T> BootstrapServers(string bootstrapServers) => With(_options with { BootstrapServers = bootstrapServers });

    /// <summary>The topics to read (or use <see cref="TopicPattern"/>).</summary>
    public KafkaSourceBuilder<T> Topics(params string[] topics) => With(_options with { Topics = [.. topics] });

    /// <summary>A regular expression over whole topic names; matching topics created later are discovered.</summary>
    public KafkaSourceBuilder<T> TopicPattern(string pattern) => With(_options with { TopicPattern = pattern });

    /// <summary>The consumer group for offset commits (lag monitoring only). Default: the job name.</summary>
    public KafkaSourceBuilder<T> GroupId(string groupId) => With(_options with { GroupId = groupId });

    /// <summary>Where partitions start when there is no checkpoint. Default <see cref="KafkaStartPosition.Earliest"/>.</summary>
    public KafkaSourceBuilder<T> StartingOffsets(KafkaStartPosition position) => With(_options with { StartPosition = position });

    /// <summary>Turns value bytes into records; a record it throws on becomes a dead letter. Required.</summary>
    public KafkaSourceBuilder<T> Deserializer(IRecordDeserializer<T> deserializer)
    {
        _deserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        return this;
    }

    /// <summary>The event time of a record (Unix ms). Default: the Kafka record timestamp.</summary>
    public KafkaSourceBuilder<T> EventTime(Func<T, long> eventTime)
    {
        _eventTime = eventTime ?? throw new ArgumentNullException(nameof(eventTime));
        return this;
    }

    /// <summary>Watermark = max event time per partition - <paramref name="outOfOrderness"/> - 1 ms. Default zero.</summary>
    public KafkaSourceBuilder<T> BoundedOutOfOrderness(TimeSpan outOfOrderness) => WithWatermarks(_options.Watermarks with { OutOfOrderness = outOfOrderness });

    /// <summary>A partition silent this long stops holding the watermark back. Default: never.</summary>
    public KafkaSourceBuilder<T> IdleTimeout(TimeSpan idleTimeout) => WithWatermarks(_options.Watermarks with { IdleTimeout = idleTimeout });

    /// <summary>How often the watermark is emitted (Flink's auto-watermark interval). Default 200 ms.</summary>
    public KafkaSourceBuilder<T> WatermarkInterval(TimeSpan interval) => WithWatermarks(_options.Watermarks with { Interval = interval });

    /// <summary>A record whose event time is further ahead of the wall clock becomes a dead letter (<c>event-time-ahead</c>). Default: no bound.</summary>
    public KafkaSourceBuilder<T> MaxEventTimeAhead(TimeSpan ahead) => WithWatermarks(_options.Watermarks with { MaxEventTimeAhead = ahead });

    /// <summary>A librdkafka consumer property (not one the source owns, see <see cref="KafkaConsumerSettings.OwnedKeys"/>).</summary>
    public KafkaSourceBuilder<T> ConsumerProperty(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var config = new Dictionary<string, string>(_options.ConsumerConfig, StringComparer.Ordinal) { [key] = value };
        return With(_options with { ConsumerConfig = config });
    }

    /// <summary>
    /// A bounded source (Flink's <c>setBounded(OffsetsInitializer.latest())</c>, see <see cref="EndBoundedSource{T}"/>): it ends
    /// its input once it has read each partition up to the end offset present when it opened. A hosted job passes the
    /// host's <c>--stop-at-end</c> (<c>JobContext.StopAtEnd</c>). Default: unbounded.
    /// </summary>
    public KafkaSourceBuilder<T> Bounded(bool bounded = true)
    {
        _bounded = bounded;
        return this;
    }

    /// <summary>Any other setting of <see cref="KafkaSourceOptions"/>: <paramref name="configure"/> gets the options so far and returns the new ones.</summary>
    public KafkaSourceBuilder<T> Options(Func<KafkaSourceOptions, KafkaSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return With(configure(_options) ?? throw new ArgumentException("The options function returned null.", nameof(configure)));
    }

    /// <summary>The options a source of job <paramref name="jobName"/> runs with, validated (the group id defaults to the job name).</summary>
    /// <exception cref="ArgumentException">A setting is bad; the message names it.</exception>
    public KafkaSourceOptions BuildOptions(string jobName)
    {
        var options = string.IsNullOrWhiteSpace(_options.GroupId) ? _options with { GroupId = jobName } : _options;
        options.Validate();
        return options;
    }

    /// <summary>The source of one subtask: pass this method to <c>JobBuilder.AddSource</c>.</summary>
    public ISource<T> Create(SubtaskInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var deserializer = _deserializer ?? throw new InvalidOperationException(
            $"The Kafka source of operator '{info.OperatorId}' has no deserializer; set one with {nameof(KafkaSourceBuilder<T>)}.{nameof(Deserializer)}.");
        var options = BuildOptions(info.JobName);
        var source = new KafkaSource<T>(options, deserializer, _eventTime);
        return _bounded
            ? new EndBoundedSource<T>(source, () => new KafkaOffsetProbe(options.BootstrapServers, options.GroupId, options.ConsumerConfig))
            : source;
    }

    private KafkaSourceBuilder<T> WithWatermarks(KafkaWatermarkOptions watermarks) => With(_options with { Watermarks = watermarks });

    private KafkaSourceBuilder<T> With(KafkaSourceOptions options)
    {
        _options = options;
        return this;
    }
}
