namespace Etl.Connectors.Kafka;

/// <summary>
/// What a Kafka source does when its position in a partition lies outside the partition's log: below the log
/// start (retention or DeleteRecords removed records it never read) or above the end (the topic was deleted and
/// recreated, or the log was truncated). Either way records are lost or would be read twice.
/// </summary>
public enum KafkaOffsetOutOfRange
{
    /// <summary>Fail the attempt, naming the partition, the position and the log bounds (the default).</summary>
    Fail,

    /// <summary>Accept the gap: continue at the log start; logged and counted.</summary>
    ResetToEarliest,

    /// <summary>Accept the gap: continue at the log end; logged and counted.</summary>
    ResetToLatest,
}
