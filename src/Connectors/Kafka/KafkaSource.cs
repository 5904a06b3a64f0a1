using Confluent.Kafka;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging;

namespace Etl.Connectors.Kafka;

/// <summary>
/// A Kafka source subtask whose read positions live in checkpoints (DESIGN 3, 6). Subtask i of n reads the
/// partitions p with p mod n == i through <c>Assign</c> (no group rebalancing), resumes exactly at the
/// checkpointed offsets, commits offsets to the consumer group only for lag monitoring, emits per-partition
/// bounded-out-of-orderness watermarks with idleness, and turns undeserialisable records into dead letters.
/// </summary>
/// <remarks>
/// Threading: every call comes from the runtime's one loop for this subtask. <see cref="PollAsync"/> drains
/// the client's prefetch queue without blocking and blocks the calling thread only when the queue is empty,
/// for at most <see cref="KafkaSourceOptions.MaxPollWait"/>. Metadata queries for partition discovery and
/// offset commits run on the thread pool so that a slow broker never stalls polling or checkpoints.
/// </remarks>
public sealed class KafkaSource<T> : ISource<T>
{
    private readonly KafkaSourceOptions _options;
    private readonly IRecordDeserializer<T> _deserializer;
    private readonly Func<T, long>? _eventTime;
    private readonly PartitionTable _partitions;

    // Restored positions of partitions the metadata did not show at open; kept in every snapshot until
    // discovery finds the partition and resumes it there. Owned by the poll loop.
    private readonly Dictionary<TopicPartition, KafkaPartitionState> _parked = [];
    private OperatorContext? _context;
    private ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private IConsumer<Ignore, T>? _consumer;
    private KafkaPartitionDiscovery<T>? _discovery;
    private SubtaskWatermark? _watermark;
    private EventTimeBound? _bound;
    private CheckpointOffsetCommits? _commits;
    private Task<List<(TopicPartition Partition, long Offset)>>? _discovering;
    private DateTimeOffset _nextDiscoveryAt;
    private DateTimeOffset _nextWatermarkAt = DateTimeOffset.MinValue;
    private volatile Error? _fatalError;

    /// <param name="options">The source's settings; validated on open.</param>
    /// <param name="deserializer">Turns value bytes into <typeparamref name="T"/>; a failure makes a dead letter.</param>
    /// <param name="eventTime">The event time of a value (Unix ms); null uses the Kafka record timestamp.</param>
    public KafkaSource(KafkaSourceOptions options, IRecordDeserializer<T> deserializer, Func<T, long>? eventTime = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(deserializer);
        _options = options;
        _deserializer = deserializer;
        _eventTime = eventTime;
        _partitions = new PartitionTable(options.Topics.Count == 1 ? options.Topics[0] : null);
    }

    /// <summary>The partitions this subtask reads and the next offset of each, for diagnostics.</summary>
    public IReadOnlyList<KafkaPartitionState> Positions => [.. _partitions.All.Select(c => c.ToState())];

    public async ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_context is not null)
        {
            throw new InvalidOperationException("The Kafka source is already open.");
        }

        _options.Validate();
        _context = context;
        _logger = context.LoggerFactory.CreateLogger("Etl.Connectors.Kafka.KafkaSource");
        _watermark = new SubtaskWatermark(_options.Watermarks);
        _bound = new EventTimeBound(_options.Watermarks.MaxEventTimeAhead);
        _bound.Refresh(context.Time.GetUtcNow());
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig(KafkaConsumerSettings.Build(_options, needsTimestamp: _eventTime is null, needsTopicName: _options.Topics.Count != 1));
        try
        {
            _consumer = new ConsumerBuilder<Ignore, T>(config)
                .SetValueDeserializer(new RecordDeserializerAdapter<T>(_deserializer, _eventTime, _bound))
                .SetErrorHandler((_, error) => OnClientError(error))
                .SetLogHandler((_, message) => OnClientLog(message))
                .SetStatisticsHandler((_, json) => KafkaClientMetrics.Record(json))
                .Build();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KafkaException)
        {
            throw new KafkaSourceException($"librdkafka refused the consumer configuration (check KafkaSourceOptions.ConsumerConfig): {e.Message}", e);
        }

        _discovery = new KafkaPartitionDiscovery<T>(_consumer, _options, context.SubtaskIndex, context.Parallelism);
        var consumer = _consumer;
        _commits = new CheckpointOffsetCommits(
            offsets => consumer.Commit(offsets.Select(p => new TopicPartitionOffset(p.Topic, p.Partition, p.NextOffset))), _options.GroupId, _logger);

        // Metadata and offset requests block (bounded by OpenTimeout); keep them off the runtime's thread.
        List<KafkaPartitionState> starts;
        List<KafkaPartitionState> parked;
        string origin;
        try
        {
            (starts, parked, origin) = await Task.Run(() => CheckRestoredInRange(_discovery.PlanStart(context.Restored, _options.StartPosition, _logger), context.Restored), cancellationToken);
        }
        catch
        {
            // The runtime may not dispose a source that failed to open; release the client threads here.
            await DisposeAsync();
            throw;
        }

        foreach (var position in parked)
        {
            _parked[new TopicPartition(position.Topic, position.Partition)] = position;
        }

        var now = context.Time.GetUtcNow();
        foreach (var start in starts)
        {
            _partitions.Add(new PartitionCursor(start.Topic, start.Partition, start.NextOffset, start.MaxTimestamp, now));
        }

        _consumer.Assign(starts.Select(s => new TopicPartitionOffset(s.Topic, s.Partition, s.NextOffset)));
        _nextDiscoveryAt = now + _options.PartitionDiscoveryInterval;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.Opened(context.SubtaskIndex, context.Parallelism, Describe(starts), origin);
        }
    }

    public ValueTask<SourcePollResult> PollAsync(ISourceOutput<T> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var consumer = _consumer ?? throw new InvalidOperationException("Open the Kafka source before polling it.");
        if (_fatalError is { } fatal)
        {
            throw new KafkaSourceException($"The Kafka consumer failed fatally: {fatal.Code} ({fatal.Reason}). Check KafkaSourceOptions.ConsumerConfig.");
        }

        var time = _context!.Time;
        var started = time.GetUtcNow();
        DiscoverPartitions(started);
        _bound!.Refresh(started);
        var emitted = 0;
        var waited = false;
        while (emitted < _options.PollBatchSize)
        {
            ConsumeResult<Ignore, T>? result;
            try
            {
                result = consumer.Consume(TimeSpan.Zero);
                if (result is null && emitted == 0 && !waited)
                {
                    // Block (briefly, bounded) only when this poll would otherwise return empty-handed.
                    waited = true;
                    result = consumer.Consume(_options.MaxPollWait);
                }
            }
            catch (ConsumeException e) when (e.Error.Code is ErrorCode.Local_ValueDeserialization or ErrorCode.Local_KeyDeserialization)
            {
                DeadLetter(e, output, time);
                emitted++;
                continue;
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.Local_AutoOffsetReset)
            {
                OnOutOfRange(e);
                break;
            }
            catch (ConsumeException e)
            {
                OnConsumeError(e.Error);
                break;
            }

            if (result is null)
            {
                break;
            }

            var value = result.Message.Value;
            var timestamp = _eventTime is null ? result.Message.Timestamp.UnixTimestampMs : _eventTime(value);
            var cursor = _partitions.Find(result.Topic, result.Partition.Value);
            if (cursor is null)
            {
                // Assign-only consumers receive nothing else; a stray record would have no checkpointed position.
                continue;
            }

            if (timestamp > _bound.Limit)
            {
                // Only record timestamps get here (an extracted event time is checked in the deserializer, which still
                // has the raw bytes): the value is deserialised already, so this dead letter carries no raw value.
                EventTimeAhead(result, cursor, output, timestamp);
                emitted++;
                continue;
            }

            cursor.Advance(result.Offset.Value, timestamp);
            output.Collect(value, timestamp);
            emitted++;
        }

        // Periodic, as Flink's auto-watermark interval: polls can be tiny when the fetcher is the bottleneck,
        // and a walk over every partition per poll then costs more than the records themselves.
        var now = time.GetUtcNow();
        if (now >= _nextWatermarkAt)
        {
            _nextWatermarkAt = now + _options.Watermarks.Interval;
            var step = _watermark!.Evaluate(_partitions.All, now);
            if (step.Emit is { } watermark)
            {
                output.EmitWatermark(watermark);
            }
            else if (step.MarkIdle)
            {
                output.MarkIdle();
            }
        }

        return ValueTask.FromResult(emitted > 0 ? SourcePollResult.MoreAvailable : SourcePollResult.NothingAvailable);
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        _ = _consumer ?? throw new InvalidOperationException("Open the Kafka source before snapshotting it.");
        var positions = _partitions.All.Select(c => c.ToState()).Concat(_parked.Values).ToList();
        if (_options.CommitOffsetsOnCheckpoint)
        {
            _commits!.Record(checkpointId, positions);
        }

        var state = new KafkaSourceState(KafkaSourceState.CurrentVersion, positions);
        return ValueTask.FromResult(OperatorSnapshot.Of(KafkaSourceStateCodec.Serialize(state)));
    }

    public ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        _commits?.Complete(checkpointId);
        return ValueTask.CompletedTask;
    }

    public ValueTask NotifyCheckpointAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        _commits?.Abort(checkpointId);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_commits is not null)
        {
            await _commits.WaitAsync(TimeSpan.FromSeconds(5));
        }

        if (_discovering is not null)
        {
            await Task.WhenAny(_discovering, Task.Delay(TimeSpan.FromSeconds(5)));
        }

        if (_consumer is not null)
        {
            try
            {
                _consumer.Close();
            }
            catch (KafkaException)
            {
                // Tolerated: nothing is lost by an unclean close, positions live in checkpoints.
            }

            _consumer.Dispose();
        }

        _consumer = null;
    }

    private void DiscoverPartitions(DateTimeOffset now)
    {
        if (_discovering is { IsCompleted: true } done)
        {
            _discovering = null;
            if (done.IsCompletedSuccessfully && done.Result.Count > 0)
            {
                var added = done.Result.Where(a => !_partitions.Contains(a.Partition.Topic, a.Partition.Partition.Value)).ToList();
                foreach (var (partition, offset) in added)
                {
                    var maxTimestamp = _parked.Remove(partition, out var restored) ? restored.MaxTimestamp : long.MinValue;
                    _partitions.Add(new PartitionCursor(partition.Topic, partition.Partition.Value, offset, maxTimestamp, now));
                }

                _consumer!.IncrementalAssign(added.Select(a => new TopicPartitionOffset(a.Partition, a.Offset)));
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.PartitionsDiscovered(_context!.SubtaskIndex, string.Join(", ", added.Select(a => $"{a.Partition}@{a.Offset}")));
                }
            }
            else if (done.Exception?.GetBaseException() is KafkaOffsetOutOfRangeException outOfRange)
            {
                // A parked position that no longer fits its partition's log fails the attempt like any restored one.
                throw outOfRange;
            }
            else if (done.Exception is { } failure)
            {
                _logger.PartitionDiscoveryFailed(failure.GetBaseException());
            }
        }

        if (_options.PartitionDiscoveryInterval == TimeSpan.Zero || _discovering is not null || now < _nextDiscoveryAt)
        {
            return;
        }

        _nextDiscoveryAt = now + _options.PartitionDiscoveryInterval;
        var known = _partitions.All.Select(c => new TopicPartition(c.Topic, c.Partition)).ToHashSet();
        var parked = _parked.ToDictionary(p => p.Key, p => p.Value.NextOffset);
        var discovery = _discovery!;
        var policy = _options.OffsetOutOfRange;
        var logger = _logger;
        _discovering = Task.Run(() =>
        {
            var fresh = discovery.OwnedPartitions().Where(p => !known.Contains(p)).ToList();
            var resumed = fresh.Where(parked.ContainsKey).Select(p => (p, discovery.CheckedOffset(p, parked[p], policy, logger)));
            var unknown = discovery.StartOffsets([.. fresh.Where(p => !parked.ContainsKey(p))], KafkaStartPosition.Earliest).Select(o => (o.Key, o.Value));
            return resumed.Concat(unknown).ToList();
        });
    }

    private void DeadLetter(ConsumeException e, ISourceOutput<T> output, TimeProvider time)
    {
        var record = e.ConsumerRecord;
        var topic = record.Topic ?? _options.Topics[0];
        var error = e.InnerException?.Message ?? e.Error.Reason;
        var reason = e.InnerException is EventTimeAheadException ? DeadLetterReasons.EventTimeAhead : DeadLetterReasons.Deserialization;
        _partitions.Find(topic, record.Partition.Value)?.Skip(record.Offset.Value);
        var timestamp = record.Message.Timestamp.Type == TimestampType.NotAvailable
            ? time.GetUtcNow().ToUnixTimeMilliseconds()
            : record.Message.Timestamp.UnixTimestampMs;
        Emit(output, new SourcePosition(topic, record.Partition.Value, record.Offset.Value), record.Message.Key, record.Message.Value, reason, error, timestamp);
    }

    // Every dead letter of the source leaves here: collected, counted, logged.
    private void Emit(ISourceOutput<T> output, SourcePosition at, byte[]? key, byte[]? value, string reason, string error, long timestamp)
    {
        output.CollectDeadLetter(new DeadLetter(at, key, value, reason, error, timestamp));
        KafkaSourceMetrics.DeadLetters.Add(1);
        _logger.RecordDeadLettered(at.Topic, at.Partition, at.Offset, error);
    }

    // A checkpointed position is checked against the log before reading starts, so that a topic recreated or
    // trimmed while the job was down fails (or resets) with the checkpoint's numbers, not a fetch error later.
    private (List<KafkaPartitionState> Starts, List<KafkaPartitionState> Parked, string Origin) CheckRestoredInRange(
        (List<KafkaPartitionState> Starts, List<KafkaPartitionState> Parked, string Origin) plan, RestoredState? restored)
    {
        if (restored is null)
        {
            return plan;
        }

        var checkedStarts = plan.Starts.Select(start => start with
        {
            NextOffset = _discovery!.CheckedOffset(new TopicPartition(start.Topic, start.Partition), start.NextOffset, _options.OffsetOutOfRange, _logger),
        }).ToList();
        return (checkedStarts, plan.Parked, plan.Origin);
    }

    // librdkafka found the fetch position outside the log (auto.offset.reset=error): apply the options' rule.
    private void OnOutOfRange(ConsumeException e)
    {
        var tpo = e.ConsumerRecord?.TopicPartitionOffset
            ?? throw new KafkaSourceException($"Kafka reported an out-of-range position without naming the partition: {e.Error.Reason}.", e);
        var topic = tpo.Topic ?? _options.Topics[0];
        var cursor = _partitions.Find(topic, tpo.Partition.Value)
            ?? throw new KafkaSourceException($"Kafka reported an out-of-range position in {topic}/{tpo.Partition.Value}, which this subtask does not read: {e.Error.Reason}.", e);
        var (low, high) = _discovery!.Bounds(new TopicPartition(topic, tpo.Partition));
        var next = KafkaOffsetRange.Resolve(topic, cursor.Partition, cursor.NextOffset, low, high, _options.OffsetOutOfRange, "read position", _logger);
        cursor.MoveTo(next);
        // Seek is refused once the fetcher stopped on the error ("Erroneous state"): re-assign at the new offset.
        var partition = new TopicPartition(topic, tpo.Partition);
        _consumer!.IncrementalUnassign([partition]);
        _consumer.IncrementalAssign([new TopicPartitionOffset(partition, next)]);
    }

    private void EventTimeAhead(ConsumeResult<Ignore, T> result, PartitionCursor cursor, ISourceOutput<T> output, long timestamp)
    {
        var error = $"{EventTimeBound.Describe(timestamp, _bound!.Limit, _options.Watermarks.MaxEventTimeAhead)} (Kafka record timestamp; raw value not kept)";
        cursor.Skip(result.Offset.Value);
        Emit(output, new SourcePosition(result.Topic, result.Partition.Value, result.Offset.Value), null, null, DeadLetterReasons.EventTimeAhead, error, timestamp);
    }

    private void OnConsumeError(Error error)
    {
        if (error.IsFatal || error.Code is ErrorCode.TopicAuthorizationFailed or ErrorCode.GroupAuthorizationFailed
            or ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition)
        {
            throw new KafkaSourceException(
                $"Reading from Kafka failed: {error.Code} ({error.Reason}). Check KafkaSourceOptions.Topics/TopicPattern and the access rights " +
                "granted through KafkaSourceOptions.ConsumerConfig.");
        }

        _logger.ConsumerError(error.Code.ToString(), error.Reason);
    }

    // librdkafka's own log lines (connection trouble, resets, metadata changes) go to the logger, by severity.
    private void OnClientLog(LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        _logger.Librdkafka(level, message.Facility, message.Message);
    }

    private void OnClientError(Error error)
    {
        if (error.IsFatal)
        {
            _fatalError = error;
        }

        _logger.ConsumerError(error.Code.ToString(), error.Reason);
    }

    private static string Describe(IEnumerable<KafkaPartitionState> starts)
    {
        var text = string.Join(", ", starts.Select(s => $"{s.Topic}/{s.Partition}@{s.NextOffset}"));
        return text.Length == 0 ? "no partitions" : text;
    }
}
