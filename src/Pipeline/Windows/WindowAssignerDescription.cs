using System.Globalization;

namespace Etl.Pipeline.Windows;

/// <summary>
/// Which windows an operator makes, in the numbers that decide them (Unix ms), stored with its checkpoints so
/// that a restore into differently configured windows is refused instead of mixing old and new windows.
/// Allowed lateness is not part of it: it decides only how long windows are kept, which a restore re-derives.
/// </summary>
/// <param name="Kind"><see cref="AlignedKind"/> (tumbling = sliding with slide = size) or <see cref="SessionKind"/>.</param>
/// <param name="Size">Window size; for sessions, the gap.</param>
/// <param name="Slide">Distance between window starts (tumbling: the size; sessions: 0).</param>
/// <param name="Offset">Shift of the window starts (sessions: 0).</param>
internal readonly record struct WindowAssignerDescription(byte Kind, long Size, long Slide, long Offset)
{
    public const byte AlignedKind = 1;
    public const byte SessionKind = 2;

    public static WindowAssignerDescription Aligned(long size, long slide, long offset) => new(AlignedKind, size, slide, offset);

    public static WindowAssignerDescription Session(long gap) => new(SessionKind, gap, 0, 0);

    /// <summary>"tumbling windows of 1min", "sliding windows of 1min every 10s offset by 5s", "session windows with a gap of 30s".</summary>
    public override string ToString() => Kind switch
    {
        AlignedKind when Size == Slide => $"tumbling windows of {Duration(Size)}{OffsetText}",
        AlignedKind => $"sliding windows of {Duration(Size)} every {Duration(Slide)}{OffsetText}",
        SessionKind => $"session windows with a gap of {Duration(Size)}",
        _ => $"windows of unknown kind {Kind}",
    };

    private string OffsetText => Offset == 0 ? "" : $" offset by {Duration(Offset)}";

    private static string Duration(long ms) =>
        ms != 0 && ms % 3_600_000 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000}h")
        : ms != 0 && ms % 60_000 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{ms / 60_000}min")
        : ms != 0 && ms % 1_000 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{ms / 1_000}s")
        : string.Create(CultureInfo.InvariantCulture, $"{ms}ms");
}
