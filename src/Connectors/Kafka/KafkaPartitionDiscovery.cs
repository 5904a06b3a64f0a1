using System.Text.RegularExpressions;
using Confluent.Kafka;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Metadata and offset queries of a source subtask, each bounded by <see cref="KafkaSourceOptions.OpenTimeout"/>:
/// which partitions exist (and are this subtask's), and where partitions start without a checkpoint.
/// Errors become <see cref="KafkaSourceException"/>s that name the setting to fix.
/// </summary>
internal sealed class KafkaPartitionDiscovery<T>(
    IConsumer<Ignore, T> consumer, KafkaSourceOptions options, int subtaskIndex, int parallelism)
{
    private readonly Regex? _pattern = options.TopicPattern is { } p
        ? new Regex($"^(?:{p})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
        : null;

    private TimeSpan Timeout => options.OpenTimeout;

    /// <summary>The partitions that exist now and belong to this subtask.</summary>
    public List<TopicPartition> OwnedPartitions()
    {
        var owned = new List<TopicPartition>();
        foreach (var topic in Topics())
        {
            foreach (var partition in topic.Partitions)
            {
                if (KafkaPartitionAssignment.IsOwnedBy(partition.PartitionId, subtaskIndex, parallelism))
                {
                    owned.Add(new TopicPartition(topic.Topic, partition.PartitionId));
                }
            }
        }

        return owned;
    }

    /// <summary>
    /// Where each owned partition starts: the restored checkpoint's offsets (the union of all old subtasks'
    /// states, filtered to the partitions owned now), earliest for partitions not in it; without a checkpoint,
    /// the configured start position. Restored positions of partitions the metadata does not show now (a
    /// transient metadata error, a topic briefly gone) are returned as parked: never dropped, so that
    /// discovery resumes them where the checkpoint left off instead of from the start.
    /// </summary>
    public (List<KafkaPartitionState> Starts, List<KafkaPartitionState> Parked, string Origin) PlanStart(RestoredState? restored, KafkaStartPosition position, ILogger logger)
    {
        var owned = OwnedPartitions();
        if (restored is not null)
        {
            var old = restored.UnionOperatorState.Select(s => KafkaSourceStateCodec.Deserialize(s.Data, s.SubtaskIndex));
            var mine = KafkaPartitionAssignment.Select(old, subtaskIndex, parallelism);
            var existing = owned.ToHashSet();
            var starts = new List<KafkaPartitionState>();
            var parked = new List<KafkaPartitionState>();
            foreach (var state in mine)
            {
                if (existing.Remove(new TopicPartition(state.Topic, state.Partition)))
                {
                    starts.Add(state);
                }
                else
                {
                    parked.Add(state);
                    logger.RestoredPartitionMissing(state.Topic, state.Partition, state.NextOffset);
                }
            }

            // Partitions created after the checkpoint was taken have no position in it: read them in full.
            var added = StartOffsets([.. existing], KafkaStartPosition.Earliest);
            starts.AddRange(added.Select(a => new KafkaPartitionState(a.Key.Topic, a.Key.Partition.Value, a.Value, long.MinValue)));
            return (starts, parked, $"restored from checkpoint {restored.CheckpointId}");
        }

        var offsets = StartOffsets(owned, position);
        var fresh = offsets.Select(o => new KafkaPartitionState(o.Key.Topic, o.Key.Partition.Value, o.Value, long.MinValue)).ToList();
        return (fresh, [], $"no checkpoint: start position {position}");
    }

    /// <summary>The partition's log bounds now: the first offset still held and the next offset to be written.</summary>
    public (long Low, long High) Bounds(TopicPartition partition)
    {
        try
        {
            var watermarks = consumer.QueryWatermarkOffsets(partition, Timeout);
            return (watermarks.Low.Value, watermarks.High.Value);
        }
        catch (KafkaException e) when (e is not ConsumeException)
        {
            throw Explain(e, $"reading the log bounds of {partition}");
        }
    }

    /// <summary>
    /// A checkpointed <paramref name="offset"/> of <paramref name="partition"/> if it lies inside the partition's log now,
    /// else what <paramref name="policy"/> says (see <see cref="KafkaOffsetRange.Resolve"/>: throw, or a bound, logged).
    /// </summary>
    public long CheckedOffset(TopicPartition partition, long offset, KafkaOffsetOutOfRange policy, ILogger logger)
    {
        var (low, high) = Bounds(partition);
        return KafkaOffsetRange.Contains(offset, low, high)
            ? offset
            : KafkaOffsetRange.Resolve(partition.Topic, partition.Partition.Value, offset, low, high, policy, "checkpointed offset", logger);
    }

    /// <summary>Concrete start offsets (never logical ones, so a snapshot before the first record is exact).</summary>
    public Dictionary<TopicPartition, long> StartOffsets(IReadOnlyList<TopicPartition> partitions, KafkaStartPosition position)
    {
        var offsets = new Dictionary<TopicPartition, long>();
        if (partitions.Count == 0)
        {
            return offsets;
        }

        try
        {
            switch (position.Kind)
            {
                case KafkaStartPositionKind.Earliest:
                    foreach (var tp in partitions)
                    {
                        offsets[tp] = consumer.QueryWatermarkOffsets(tp, Timeout).Low.Value;
                    }

                    break;
                case KafkaStartPositionKind.Latest:
                    foreach (var tp in partitions)
                    {
                        offsets[tp] = consumer.QueryWatermarkOffsets(tp, Timeout).High.Value;
                    }

                    break;
                case KafkaStartPositionKind.GroupOffsets:
                    foreach (var committed in consumer.Committed(partitions, Timeout))
                    {
                        offsets[committed.TopicPartition] = committed.Offset.Value >= 0
                            ? committed.Offset.Value
                            : consumer.QueryWatermarkOffsets(committed.TopicPartition, Timeout).Low.Value;
                    }

                    break;
                case KafkaStartPositionKind.Timestamp:
                    var query = partitions.Select(tp => new TopicPartitionTimestamp(tp, new Timestamp(position.TimestampMs, TimestampType.CreateTime)));
                    foreach (var found in consumer.OffsetsForTimes(query, Timeout))
                    {
                        // No record at or after the timestamp: start at the end, as Kafka's own consumers do.
                        offsets[found.TopicPartition] = found.Offset.Value >= 0
                            ? found.Offset.Value
                            : consumer.QueryWatermarkOffsets(found.TopicPartition, Timeout).High.Value;
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(position), position.Kind, "Unknown KafkaSourceOptions.StartPosition.");
            }
        }
        catch (KafkaException e) when (e is not ConsumeException)
        {
            throw Explain(e, $"resolving start offsets ({position}) of {string.Join(", ", partitions)}");
        }

        return offsets;
    }

    private List<TopicMetadata> Topics()
    {
        Metadata metadata;
        try
        {
            // Always the all-topics request: asking for a named topic lets brokers with auto-creation on (and
            // the mock cluster, always) create a missing topic instead of reporting it.
            // A dependent admin client lives only for the request: in Confluent.Kafka 1.9.3 a live one spins
            // its result-queue poller (measured: ~0.6 core and ~350 MB/s of garbage while the source polls).
            using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            metadata = admin.GetMetadata(Timeout);
        }
        catch (KafkaException e)
        {
            throw Explain(e, "reading topic metadata");
        }

        if (_pattern is not null)
        {
            return [.. metadata.Topics.Where(t => !t.Topic.StartsWith("__", StringComparison.Ordinal) && _pattern.IsMatch(t.Topic) && t.Error.Code == ErrorCode.NoError)];
        }

        var topics = new List<TopicMetadata>();
        foreach (var name in options.Topics)
        {
            var topic = metadata.Topics.FirstOrDefault(t => t.Topic == name) ?? throw new KafkaSourceException(
                $"Topic '{name}' (KafkaSourceOptions.Topics) does not exist on the cluster at '{options.BootstrapServers}' (KafkaSourceOptions.BootstrapServers), " +
                "or this client may not Describe it. Create the topic or fix the name; check the ACLs and the security settings in KafkaSourceOptions.ConsumerConfig.");
            Check(topic);
            topics.Add(topic);
        }

        return topics;
    }

    private void Check(TopicMetadata topic)
    {
        switch (topic.Error.Code)
        {
            case ErrorCode.NoError:
                return;
            case ErrorCode.UnknownTopicOrPart:
                throw new KafkaSourceException(
                    $"Topic '{topic.Topic}' (KafkaSourceOptions.Topics) does not exist on the cluster at '{options.BootstrapServers}' (KafkaSourceOptions.BootstrapServers). Create it, or fix the name.");
            case ErrorCode.TopicAuthorizationFailed:
                throw new KafkaSourceException(
                    $"Not authorized to read topic '{topic.Topic}' (KafkaSourceOptions.Topics): grant Describe and Read to this client's principal, or fix the security settings in KafkaSourceOptions.ConsumerConfig.");
            default:
                throw new KafkaSourceException(
                    $"Topic '{topic.Topic}' (KafkaSourceOptions.Topics) reports {topic.Error.Code}: {topic.Error.Reason}.");
        }
    }

    private KafkaSourceException Explain(KafkaException e, string what) => e.Error.Code switch
    {
        ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut
            or ErrorCode.Local_Resolve or ErrorCode.BrokerNotAvailable => new KafkaSourceException(
            $"Could not reach Kafka at '{options.BootstrapServers}' (KafkaSourceOptions.BootstrapServers) within {options.OpenTimeout.TotalSeconds:0.#} s " +
            $"(KafkaSourceOptions.OpenTimeout) while {what}: {e.Error.Reason}. Check the address and that the brokers are up.", e),
        ErrorCode.TopicAuthorizationFailed or ErrorCode.GroupAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed
            or ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication => new KafkaSourceException(
            $"Kafka refused access while {what}: {e.Error.Code} ({e.Error.Reason}). Check the security settings in KafkaSourceOptions.ConsumerConfig " +
            $"and the ACLs for the topics (KafkaSourceOptions.Topics) and group '{options.GroupId}' (KafkaSourceOptions.GroupId).", e),
        ErrorCode.UnknownTopicOrPart => new KafkaSourceException(
            $"A topic of KafkaSourceOptions.Topics does not exist on '{options.BootstrapServers}' while {what}: {e.Error.Reason}.", e),
        _ => new KafkaSourceException($"Kafka failed while {what}: {e.Error.Code} ({e.Error.Reason}).", e),
    };
}
