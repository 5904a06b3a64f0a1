using Etl.Pipeline;

namespace Etl.Bench;

/// <summary>Counts what a source emits and throws it away.</summary>
internal sealed class KafkaDiscardingOutput : ISourceOutput<long>
{
    public long Records { get; private set; }

    public long Checksum { get; private set; }

    public long DeadLetters { get; private set; }

    public void Collect(long value, long timestamp)
    {
        Records++;
        Checksum += value;
    }

    public void CollectDeadLetter(DeadLetter deadLetter) => DeadLetters++;

    public void EmitWatermark(Watermark watermark)
    {
    }

    public void MarkIdle()
    {
    }
}
