using Etl.Pipeline;

namespace Etl.Tests.Integration.Kafka;

/// <summary>Records what a source emits, in order (the integration twin of the unit harness's ListCollector).</summary>
internal sealed class SourceOutputRecorder<T> : ISourceOutput<T>
{
    public List<StreamRecord<T>> Records { get; } = [];

    public List<DeadLetter> DeadLetters { get; } = [];

    public List<Watermark> Watermarks { get; } = [];

    public int IdleMarks { get; private set; }

    public IEnumerable<T> Values => Records.Select(r => r.Value);

    public void Collect(T value, long timestamp) => Records.Add(new StreamRecord<T>(value, timestamp));

    public void CollectDeadLetter(DeadLetter deadLetter) => DeadLetters.Add(deadLetter);

    public void EmitWatermark(Watermark watermark) => Watermarks.Add(watermark);

    public void MarkIdle() => IdleMarks++;
}
