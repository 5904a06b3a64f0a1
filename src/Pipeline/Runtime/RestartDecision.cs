namespace Etl.Pipeline.Runtime;

/// <summary>What a restart strategy decided about a failed attempt.</summary>
public sealed record RestartDecision(bool Restart, TimeSpan Delay)
{
    public static RestartDecision DoNotRestart { get; } = new(false, TimeSpan.Zero);

    public static RestartDecision After(TimeSpan delay) => new(true, delay);
}
