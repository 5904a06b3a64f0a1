namespace Etl.Pipeline.Windows;

/// <summary>Windows [offset + k*slide, offset + k*slide + size); they overlap when slide &lt; size.</summary>
public sealed record SlidingWindows(TimeSpan Size, TimeSpan Slide, TimeSpan Offset) : WindowAssigner
{
    public override void Validate()
    {
        Milliseconds(Size, nameof(Size));
        var slide = Milliseconds(Slide, nameof(Slide));
        if (Milliseconds(Offset, nameof(Offset), mayBeZero: true) >= slide)
        {
            throw new ArgumentOutOfRangeException(nameof(Offset), Offset, $"Offset must be smaller than Slide ({Slide}), got {Offset}.");
        }
    }
}
