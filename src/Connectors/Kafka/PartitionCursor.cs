namespace Etl.Connectors.Kafka;

/// <summary>The live read position and event-time progress of one assigned partition (mutable, owned by the poll loop).</summary>
internal sealed class PartitionCursor(string topic, int partition, long nextOffset, long maxTimestamp, DateTimeOffset assignedAt)
{
    public string Topic { get; } = topic;

    public int Partition { get; } = partition;

    /// <summary>The next offset to read: the last emitted offset + 1.</summary>
    public long NextOffset { get; private set; } = nextOffset;

    /// <summary>The largest event timestamp emitted, or long.MinValue.</summary>
    public long MaxTimestamp { get; private set; } = maxTimestamp;

    /// <summary>When this partition last delivered a record (wall clock), for idleness.</summary>
    public DateTimeOffset LastActivity { get; set; } = assignedAt;

    /// <summary>Delivered a record since the watermark was last evaluated (saves a clock read per record).</summary>
    public bool HadRecords { get; set; }

    public void Advance(long offset, long timestamp)
    {
        NextOffset = offset + 1;
        if (timestamp > MaxTimestamp)
        {
            MaxTimestamp = timestamp;
        }

        HadRecords = true;
    }

    /// <summary>A record that was not emitted (a dead letter) still moves the position, not event time.</summary>
    public void Skip(long offset)
    {
        NextOffset = offset + 1;
        HadRecords = true;
    }

    /// <summary>The position jumped (an out-of-range reset the options allowed); event time stays.</summary>
    public void MoveTo(long nextOffset) => NextOffset = nextOffset;

    public KafkaPartitionState ToState() => new(Topic, Partition, NextOffset, MaxTimestamp);
}
