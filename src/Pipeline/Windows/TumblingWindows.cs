namespace Etl.Pipeline.Windows;

/// <summary>Fixed windows [offset + k*size, offset + (k+1)*size).</summary>
public sealed record TumblingWindows(TimeSpan Size, TimeSpan Offset) : WindowAssigner
{
    public override void Validate()
    {
        var size = Milliseconds(Size, nameof(Size));
        if (Milliseconds(Offset, nameof(Offset), mayBeZero: true) >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(Offset), Offset, $"Offset must be smaller than Size ({Size}), got {Offset}.");
        }
    }
}
