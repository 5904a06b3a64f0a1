namespace Etl.Connectors.Kafka;

/// <summary>The assigned partitions' cursors, found per record by topic and partition number without hashing tuples.</summary>
internal sealed class PartitionTable(string? singleTopic)
{
    private readonly Dictionary<string, PartitionCursor?[]> _byTopic = new(StringComparer.Ordinal);
    private readonly List<PartitionCursor> _all = [];

    // The single topic's slots, so the per-record lookup skips hashing the topic name.
    private PartitionCursor?[] _singleTopicSlots = [];

    public IReadOnlyList<PartitionCursor> All => _all;

    public bool Contains(string topic, int partition) => Find(topic, partition) is not null;

    public void Add(PartitionCursor cursor)
    {
        if (!_byTopic.TryGetValue(cursor.Topic, out var slots) || slots.Length <= cursor.Partition)
        {
            var grown = new PartitionCursor?[Math.Max(cursor.Partition + 1, (slots?.Length ?? 0) * 2)];
            slots?.CopyTo(grown, 0);
            slots = grown;
            _byTopic[cursor.Topic] = slots;
            if (cursor.Topic == singleTopic)
            {
                _singleTopicSlots = slots;
            }
        }

        if (slots[cursor.Partition] is not null)
        {
            throw new InvalidOperationException($"Partition {cursor.Topic}/{cursor.Partition} is assigned twice.");
        }

        slots[cursor.Partition] = cursor;
        _all.Add(cursor);
    }

    /// <summary><paramref name="topic"/> is null when the client does not marshal topic names (one topic only).</summary>
    public PartitionCursor? Find(string? topic, int partition)
    {
        if (topic is null)
        {
            var single = _singleTopicSlots;
            return (uint)partition < (uint)single.Length ? single[partition] : null;
        }

        if (!_byTopic.TryGetValue(topic, out var slots) || (uint)partition >= (uint)slots.Length)
        {
            return null;
        }

        return slots[partition];
    }
}
