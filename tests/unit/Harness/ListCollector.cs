using Etl.Pipeline;

namespace Etl.Tests.Unit.Harness;

/// <summary>Collects everything emitted, in order. Also compiled into tests/integration (linked there).</summary>
public sealed class ListCollector<T> : ISourceOutput<T>
{
    public List<StreamRecord<T>> Records { get; } = [];

    public List<DeadLetter> DeadLetters { get; } = [];

    public List<Watermark> Watermarks { get; } = [];

    /// <summary>What was emitted to side outputs: tag id, value, event time.</summary>
    public List<(string Tag, object? Value, long Timestamp)> SideOutputs { get; } = [];

    public int IdleMarks { get; private set; }

    public IEnumerable<T> Values => Records.Select(r => r.Value);

    public void Collect(T value, long timestamp) => Records.Add(new StreamRecord<T>(value, timestamp));

    public void CollectDeadLetter(DeadLetter deadLetter) => DeadLetters.Add(deadLetter);

    public void Collect<TSide>(OutputTag<TSide> tag, TSide value, long timestamp) => SideOutputs.Add((tag.Id, value, timestamp));

    public void EmitWatermark(Watermark watermark) => Watermarks.Add(watermark);

    public void MarkIdle() => IdleMarks++;

    public void Clear()
    {
        Records.Clear();
        DeadLetters.Clear();
        Watermarks.Clear();
        SideOutputs.Clear();
        IdleMarks = 0;
    }
}
