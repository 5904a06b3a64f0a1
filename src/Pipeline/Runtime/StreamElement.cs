using System.Buffers;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// One element on a channel: a batch of records in a pooled array, or a control element that sits
/// between batches (watermark, idle status, barrier, the dead letters collected with a batch, end of input). A struct, so the
/// channel carries no per-element allocation besides the pooled batch array.
/// </summary>
internal readonly struct StreamElement<T>
{
    private StreamElement(
        StreamElementKind kind, StreamRecord<T>[]? records, int count, Watermark watermark,
        CheckpointBarrier barrier, List<DeadLetter>? deadLetters)
    {
        Kind = kind;
        Records = records;
        Count = count;
        Watermark = watermark;
        Barrier = barrier;
        DeadLetters = deadLetters;
    }

    public StreamElementKind Kind { get; }

    /// <summary>Rented from <see cref="ArrayPool{T}.Shared"/>; the reader returns it after use.</summary>
    public StreamRecord<T>[]? Records { get; }

    public int Count { get; }

    public Watermark Watermark { get; }

    public CheckpointBarrier Barrier { get; }

    /// <summary>Dead letters in the order they were collected (one element per sealed batch, not one per dead letter).</summary>
    public List<DeadLetter>? DeadLetters { get; }

    public static StreamElement<T> OfRecords(StreamRecord<T>[] records, int count) =>
        new(StreamElementKind.Records, records, count, default, default, null);

    public static StreamElement<T> OfWatermark(Watermark watermark) =>
        new(StreamElementKind.Watermark, null, 0, watermark, default, null);

    public static StreamElement<T> Idle { get; } = new(StreamElementKind.Idle, null, 0, default, default, null);

    public static StreamElement<T> OfBarrier(CheckpointBarrier barrier) =>
        new(StreamElementKind.Barrier, null, 0, default, barrier, null);

    public static StreamElement<T> OfDeadLetters(List<DeadLetter> deadLetters) =>
        new(StreamElementKind.DeadLetters, null, 0, default, default, deadLetters);

    public static StreamElement<T> EndOfInput { get; } = new(StreamElementKind.EndOfInput, null, 0, default, default, null);

    /// <summary>The same control element (watermark, idle, barrier or end of input) for a channel of another record type.</summary>
    public StreamElement<TOther> ControlAs<TOther>() => Kind switch
    {
        StreamElementKind.Watermark => StreamElement<TOther>.OfWatermark(Watermark),
        StreamElementKind.Idle => StreamElement<TOther>.Idle,
        StreamElementKind.Barrier => StreamElement<TOther>.OfBarrier(Barrier),
        StreamElementKind.EndOfInput => StreamElement<TOther>.EndOfInput,
        _ => throw new InvalidOperationException($"A {Kind} element is not a control element that all outputs share."),
    };

    public void ReturnBatch()
    {
        if (Records is { } records)
        {
            ArrayPool<StreamRecord<T>>.Shared.Return(records, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }
}
