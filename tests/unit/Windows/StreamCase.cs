using Etl.Pipeline.Windows;

namespace Etl.Tests.Unit.Windows;

/// <summary>A generated out-of-order stream and the window settings to run it through.</summary>
public sealed record StreamCase(
    int Seed, WindowKind Kind, long Size, long Slide, long Offset, long Gap, long Lateness, IReadOnlyList<StreamStep> Steps)
{
    public WindowAssigner Assigner => Kind switch
    {
        WindowKind.Tumbling => WindowAssigner.Tumbling(TimeSpan.FromMilliseconds(Size), TimeSpan.FromMilliseconds(Offset)),
        WindowKind.Sliding => WindowAssigner.Sliding(
            TimeSpan.FromMilliseconds(Size), TimeSpan.FromMilliseconds(Slide), TimeSpan.FromMilliseconds(Offset)),
        _ => WindowAssigner.Session(TimeSpan.FromMilliseconds(Gap)),
    };

    public override string ToString() =>
        $"seed {Seed} {Kind} size={Size} slide={Slide} offset={Offset} gap={Gap} lateness={Lateness}: " +
        string.Join(' ', Steps);
}
