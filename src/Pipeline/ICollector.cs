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
    /// Emits a dead letter. It is never dropped: it goes to the operator's <see cref="OutputTag.DeadLetters"/> side
    /// output when the job reads it, else in-band to the sink, which writes it in the same epoch as the results around
    /// it.
    /// </summary>
    void CollectDeadLetter(DeadLetter deadLetter);

    /// <summary>
    /// Emits <paramref name="value"/> to the side output <paramref name="tag"/> (Flink's <c>ctx.output(tag, value)</c>).
    /// The job must read that side output; emitting to one it does not read fails the job rather than drop records.
    /// </summary>
    /// <exception cref="InvalidOperationException">This collector has no side output <paramref name="tag"/>.</exception>
    void Collect<TSide>(OutputTag<TSide> tag, TSide value, long timestamp) =>
        throw new InvalidOperationException(
            $"{GetType().Name} has no side outputs; side output '{tag?.Id}' cannot be emitted here.");
}
