namespace Etl.Connectors.Kafka;

/// <summary>What the source tells its output after a poll: a new watermark, that it is idle, or nothing.</summary>
internal readonly record struct WatermarkStep(Etl.Pipeline.Watermark? Emit, bool MarkIdle)
{
    public static WatermarkStep None => default;
}
