namespace Etl.Connectors.Kafka;

/// <summary>
/// A position of the source lies outside its partition's log and <see cref="KafkaSourceOptions.OffsetOutOfRange"/>
/// is <see cref="KafkaOffsetOutOfRange.Fail"/>. Restarting does not help: restore an older checkpoint that is in
/// range, or accept the gap explicitly.
/// </summary>
public sealed class KafkaOffsetOutOfRangeException : KafkaSourceException
{
    public KafkaOffsetOutOfRangeException(string topic, int partition, long offset, long low, long high, string message)
        : base(message)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        Low = low;
        High = high;
    }

    public KafkaOffsetOutOfRangeException()
    {
        Topic = "";
    }

    public KafkaOffsetOutOfRangeException(string message)
        : base(message)
    {
        Topic = "";
    }

    public KafkaOffsetOutOfRangeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Topic = "";
    }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>The checkpointed offset or read position that is out of range.</summary>
    public long Offset { get; }

    /// <summary>The first offset the partition still holds.</summary>
    public long Low { get; }

    /// <summary>The partition's end (the next offset to be written).</summary>
    public long High { get; }
}
