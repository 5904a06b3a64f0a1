using Microsoft.Extensions.Logging;

namespace Etl.Connectors.Kafka;

internal static partial class KafkaSourceLog
{
    [LoggerMessage(EventId = 5001, EventName = "KafkaSourceOpened", Level = LogLevel.Information,
        Message = "Kafka source subtask {SubtaskIndex}/{Parallelism} reads {Partitions} ({Origin})")]
    public static partial void Opened(this ILogger logger, int subtaskIndex, int parallelism, string partitions, string origin);

    [LoggerMessage(EventId = 5002, EventName = "KafkaPartitionsDiscovered", Level = LogLevel.Information,
        Message = "Kafka source subtask {SubtaskIndex} picked up new partitions {Partitions} (at the restored position if the checkpoint had one, else the earliest offset)")]
    public static partial void PartitionsDiscovered(this ILogger logger, int subtaskIndex, string partitions);

    [LoggerMessage(EventId = 5003, EventName = "KafkaPartitionDiscoveryFailed", Level = LogLevel.Warning,
        Message = "Kafka partition discovery failed; retrying at the next interval")]
    public static partial void PartitionDiscoveryFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5004, EventName = "KafkaOffsetCommitFailed", Level = LogLevel.Warning,
        Message = "Committing the offsets of checkpoint {CheckpointId} to consumer group {GroupId} failed; tolerated, they serve lag monitoring only")]
    public static partial void OffsetCommitFailed(this ILogger logger, long checkpointId, string groupId, Exception exception);

    [LoggerMessage(EventId = 5005, EventName = "KafkaConsumerError", Level = LogLevel.Warning,
        Message = "Kafka consumer reported {Code}: {Reason} (librdkafka retries)")]
    public static partial void ConsumerError(this ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 5006, EventName = "KafkaRecordDeadLettered", Level = LogLevel.Debug,
        Message = "Record {Topic}/{Partition}@{Offset} failed deserialisation and became a dead letter: {Error}")]
    public static partial void RecordDeadLettered(this ILogger logger, string topic, int partition, long offset, string error);

    [LoggerMessage(EventId = 5007, EventName = "KafkaRestoredPartitionMissing", Level = LogLevel.Warning,
        Message = "Partition {Topic}/{Partition} is in the restored checkpoint but not in the topic metadata now; its position {NextOffset} is kept, and reading resumes there when partition discovery finds it")]
    public static partial void RestoredPartitionMissing(this ILogger logger, string topic, int partition, long nextOffset);

    [LoggerMessage(EventId = 5008, EventName = "KafkaOffsetOutOfRangeReset", Level = LogLevel.Warning,
        Message = "Kafka partition {Topic}/{Partition}: position {Offset} is outside the log [{Low}, {High}]; continuing at {NewOffset} as KafkaSourceOptions.OffsetOutOfRange = {Policy} allows ({Skipped} offsets skipped, negative = re-read)")]
    public static partial void OffsetOutOfRangeReset(this ILogger logger, string topic, int partition, long offset, long low, long high, long newOffset, KafkaOffsetOutOfRange policy, long skipped);

    [LoggerMessage(EventId = 5009, EventName = "Librdkafka", Message = "librdkafka {Facility}: {Text}")]
    public static partial void Librdkafka(this ILogger logger, LogLevel level, string facility, string text);
}
