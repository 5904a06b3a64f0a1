namespace Etl.Pipeline.Restart;

/// <summary>Settings of the fixed-delay restart strategy (Flink's <c>restart-strategy.fixed-delay.*</c>).</summary>
public sealed record FixedDelayRestartOptions
{
    /// <summary>How many restarts over the job's life before it fails for good (default 1).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>The wait before each restart (default 1 s).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting under <paramref name="prefix"/>.</summary>
    public void Validate(string prefix = nameof(FixedDelayRestartOptions))
    {
        RestartOptionRules.AtLeast(Attempts, 0, $"{prefix}.{nameof(Attempts)}");
        RestartOptionRules.NotNegative(Delay, $"{prefix}.{nameof(Delay)}");
    }
}
