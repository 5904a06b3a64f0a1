namespace Etl.Pipeline.Restart;

/// <summary>
/// Settings of the exponential-delay restart strategy (Flink 1.19's <c>restart-strategy.exponential-delay.*</c>,
/// with its defaults).
/// </summary>
public sealed record ExponentialDelayRestartOptions
{
    /// <summary>The delay before the first restart (default 1 s).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest delay, before jitter (default 1 min).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Each restart's delay is the previous one times this, up to <see cref="MaxBackoff"/> (default 1.5).</summary>
    public double BackoffMultiplier { get; init; } = 1.5;

    /// <summary>Each delay moves by a uniformly random part of up to this fraction of itself, up or down (default 0.1).</summary>
    public double JitterFactor { get; init; } = 0.1;

    /// <summary>After the job has run this long without failing, the next delay is <see cref="InitialBackoff"/> again (default 1 h).</summary>
    public TimeSpan ResetBackoffThreshold { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many restarts between two resets before the job fails for good (default: unlimited).</summary>
    public int AttemptsBeforeResetBackoff { get; init; } = int.MaxValue;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting under <paramref name="prefix"/>.</summary>
    public void Validate(string prefix = nameof(ExponentialDelayRestartOptions))
    {
        RestartOptionRules.Positive(InitialBackoff, $"{prefix}.{nameof(InitialBackoff)}");
        RestartOptionRules.Positive(MaxBackoff, $"{prefix}.{nameof(MaxBackoff)}");
        if (MaxBackoff < InitialBackoff)
        {
            throw RestartOptionRules.Invalid(
                $"{prefix}.{nameof(MaxBackoff)}", $"must be at least {prefix}.{nameof(InitialBackoff)} ({InitialBackoff}), was {MaxBackoff}.");
        }

        if (!(BackoffMultiplier >= 1) || double.IsInfinity(BackoffMultiplier))
        {
            throw RestartOptionRules.Invalid($"{prefix}.{nameof(BackoffMultiplier)}", $"must be a finite number of at least 1, was {BackoffMultiplier}.");
        }

        if (!(JitterFactor >= 0 && JitterFactor <= 1))
        {
            throw RestartOptionRules.Invalid($"{prefix}.{nameof(JitterFactor)}", $"must be between 0 and 1, was {JitterFactor}.");
        }

        RestartOptionRules.Positive(ResetBackoffThreshold, $"{prefix}.{nameof(ResetBackoffThreshold)}");
        RestartOptionRules.AtLeast(AttemptsBeforeResetBackoff, 1, $"{prefix}.{nameof(AttemptsBeforeResetBackoff)}");
    }
}
