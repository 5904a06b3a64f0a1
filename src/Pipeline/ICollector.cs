namespace Etl.Pipeline;

/// <summary>
/// Where an operator emits its output. Collecting is synchronous and cheap: the runtime batches
/// what was collected and hands it downstream (with backpressure) after the operator call returns,
/// so an operator must not keep references to values it has collected and then mutate them.
/// </summary>
public interface ICollector<in T>
{
    /// <summary>Emits <paramref name="value"/> with event time <paramref name="timestamp"/> (Unix ms).</summary>
    void Collect(T value, long timestamp);

    /// <summary>
    /// Emits a dead letter. It travels in-band to the sink and is written in the same epoch as the
    /// results around it; it is never dropped.
    /// </summary>
    void CollectDeadLetter(DeadLetter deadLetter);
}
