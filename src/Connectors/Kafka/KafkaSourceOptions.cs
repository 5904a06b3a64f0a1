using System.Text.RegularExpressions;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Settings of a <see cref="KafkaSource{T}"/>. Validated when the source opens; every message names the
/// bad setting. See docs/kafka-source.md for the semantics and defaults.
/// </summary>
public sealed record KafkaSourceOptions
{
    /// <summary>Kafka <c>bootstrap.servers</c>: comma-separated host:port list. Required.</summary>
    public string BootstrapServers { get; init; } = "";

    /// <summary>The topics to read. Exactly one of <see cref="Topics"/> and <see cref="TopicPattern"/> is set.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>
    /// A regular expression matched against whole topic names; topics that appear later are picked up by
    /// partition discovery. Exactly one of <see cref="Topics"/> and <see cref="TopicPattern"/> is set.
    /// </summary>
    public string? TopicPattern { get; init; }

    /// <summary>
    /// The consumer group. Offsets are committed to it when a checkpoint completes, for lag monitoring only,
    /// and read from it only for <see cref="KafkaStartPosition.GroupOffsets"/> without a checkpoint. Required.
    /// </summary>
    public string GroupId { get; init; } = "";

    /// <summary>Where partitions start without a checkpoint. Default <see cref="KafkaStartPosition.Earliest"/>.</summary>
    public KafkaStartPosition StartPosition { get; init; } = KafkaStartPosition.Earliest;

    /// <summary>How often to look for new partitions (and new topics matching the pattern). Zero disables. Default 30 s.</summary>
    public TimeSpan PartitionDiscoveryInterval { get; init; } = TimeSpan.FromSeconds(30);

    public KafkaWatermarkOptions Watermarks { get; init; } = new();

    /// <summary>
    /// librdkafka consumer properties that override the source's defaults (for example security settings,
    /// <c>fetch.min.bytes</c>, or <c>isolation.level</c>). The keys in <see cref="KafkaConsumerSettings.OwnedKeys"/>
    /// are owned by the source.
    /// </summary>
    public IReadOnlyDictionary<string, string> ConsumerConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>At most this many records per poll. Default 2,000.</summary>
    public int PollBatchSize { get; init; } = 2_000;

    /// <summary>
    /// The longest a poll waits when nothing is buffered; it blocks the calling thread meanwhile, so keep it
    /// short (checkpoint barriers wait for the poll to return). Default 50 ms, at most 1 s.
    /// </summary>
    public TimeSpan MaxPollWait { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The bound on each metadata and offset request while opening (unreachable brokers, missing topics). Default 30 s.</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What to do when a restored or current position is outside the partition's log (records deleted by
    /// retention, a topic deleted and recreated). Default <see cref="KafkaOffsetOutOfRange.Fail"/>.
    /// </summary>
    public KafkaOffsetOutOfRange OffsetOutOfRange { get; init; } = KafkaOffsetOutOfRange.Fail;

    /// <summary>Commit the offsets of a completed checkpoint to <see cref="GroupId"/> (for lag monitoring). Default true.</summary>
    public bool CommitOffsetsOnCheckpoint { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new ArgumentException("KafkaSourceOptions.BootstrapServers is required (host:port[,host:port...]).", nameof(BootstrapServers));
        }

        if (string.IsNullOrWhiteSpace(GroupId))
        {
            throw new ArgumentException("KafkaSourceOptions.GroupId is required: offsets of completed checkpoints are committed to it for lag monitoring.", nameof(GroupId));
        }

        ValidateTopics();
        ArgumentNullException.ThrowIfNull(StartPosition, "KafkaSourceOptions.StartPosition");
        ArgumentNullException.ThrowIfNull(Watermarks, "KafkaSourceOptions.Watermarks");
        ArgumentNullException.ThrowIfNull(ConsumerConfig, "KafkaSourceOptions.ConsumerConfig");
        if (!Enum.IsDefined(OffsetOutOfRange))
        {
            throw new ArgumentException($"KafkaSourceOptions.OffsetOutOfRange must be Fail, ResetToEarliest or ResetToLatest (was {OffsetOutOfRange}).", nameof(OffsetOutOfRange));
        }

        Watermarks.Validate();
        if (PartitionDiscoveryInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"KafkaSourceOptions.PartitionDiscoveryInterval must be zero (off) or positive (was {PartitionDiscoveryInterval}).", nameof(PartitionDiscoveryInterval));
        }

        if (PollBatchSize is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"KafkaSourceOptions.PollBatchSize must be between 1 and 1,000,000 (was {PollBatchSize}).", nameof(PollBatchSize));
        }

        if (MaxPollWait < TimeSpan.Zero || MaxPollWait > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"KafkaSourceOptions.MaxPollWait must be between 0 and 1 s: a longer poll delays checkpoints (was {MaxPollWait}).", nameof(MaxPollWait));
        }

        if (OpenTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"KafkaSourceOptions.OpenTimeout must be positive (was {OpenTimeout}).", nameof(OpenTimeout));
        }

        foreach (var key in KafkaConsumerSettings.OwnedKeys)
        {
            if (ConsumerConfig.ContainsKey(key))
            {
                throw new ArgumentException(
                    $"KafkaSourceOptions.ConsumerConfig must not set '{key}': the source owns it (offsets live in checkpoints). Use the dedicated option instead ({KafkaConsumerSettings.OptionFor(key)}).",
                    nameof(ConsumerConfig));
            }
        }
    }

    private void ValidateTopics()
    {
        ArgumentNullException.ThrowIfNull(Topics, "KafkaSourceOptions.Topics");
        var hasTopics = Topics.Count > 0;
        var hasPattern = !string.IsNullOrEmpty(TopicPattern);
        if (hasTopics == hasPattern)
        {
            throw new ArgumentException("Set exactly one of KafkaSourceOptions.Topics and KafkaSourceOptions.TopicPattern.", nameof(Topics));
        }

        foreach (var topic in Topics)
        {
            if (string.IsNullOrWhiteSpace(topic))
            {
                throw new ArgumentException("KafkaSourceOptions.Topics contains an empty topic name.", nameof(Topics));
            }
        }

        if (Topics.Distinct(StringComparer.Ordinal).Count() != Topics.Count)
        {
            throw new ArgumentException("KafkaSourceOptions.Topics names a topic twice.", nameof(Topics));
        }

        if (hasPattern)
        {
            try
            {
                _ = new Regex(TopicPattern!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"KafkaSourceOptions.TopicPattern is not a valid regular expression: {e.Message}", nameof(TopicPattern), e);
            }
        }
    }
}
