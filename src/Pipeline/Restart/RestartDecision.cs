namespace Etl.Pipeline.Restart;

/// <summary>What to do after a job failure.</summary>
/// <param name="ShouldRestart">False: the job fails for good, with <paramref name="Reason"/>.</param>
/// <param name="Delay">How long to wait before restarting.</param>
/// <param name="Attempt">The restart attempt this would be, counted the way the strategy counts (1-based).</param>
/// <param name="Reason">Why, for logs and for the final failure message.</param>
public sealed record RestartDecision(bool ShouldRestart, TimeSpan Delay, int Attempt, string Reason)
{
    public static RestartDecision RestartAfter(TimeSpan delay, int attempt, string reason) => new(true, delay, attempt, reason);

    public static RestartDecision Fail(int attempt, string reason) => new(false, TimeSpan.Zero, attempt, reason);
}
