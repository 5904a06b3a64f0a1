namespace Etl.Pipeline;

/// <summary>A source's output: records, dead letters, and event-time progress.</summary>
public interface ISourceOutput<in T> : ICollector<T>
{
    /// <summary>
    /// Event time of this source subtask advanced (the minimum over its active partitions). Watermarks
    /// must not go backwards; the runtime ignores one that does.
    /// </summary>
    void EmitWatermark(Watermark watermark);

    /// <summary>
    /// This subtask has nothing to read (all its partitions are idle, or it has none), so it stops
    /// holding back downstream watermarks until it emits a record or a watermark again.
    /// </summary>
    void MarkIdle();
}
