namespace Etl.Pipeline.Windows;

/// <summary>
/// A record at t opens [t, t + gap); windows of one key that overlap or touch merge into one session.
/// </summary>
public sealed record SessionWindows(TimeSpan Gap) : WindowAssigner
{
    public override void Validate() => Milliseconds(Gap, nameof(Gap));
}
