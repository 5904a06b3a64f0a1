namespace Etl.Pipeline.Restart;

/// <summary>Settings of the failure-rate restart strategy (Flink's <c>restart-strategy.failure-rate.*</c>).</summary>
public sealed record FailureRateRestartOptions
{
    /// <summary>
    /// The most failures tolerated within any <see cref="FailureRateInterval"/> (default 1): the failure that
    /// would be one more than this within the interval fails the job.
    /// </summary>
    public int MaxFailuresPerInterval { get; init; } = 1;

    /// <summary>The sliding window failures are counted in (default 1 min).</summary>
    public TimeSpan FailureRateInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait before each restart (default 1 s).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting under <paramref name="prefix"/>.</summary>
    public void Validate(string prefix = nameof(FailureRateRestartOptions))
    {
        RestartOptionRules.AtLeast(MaxFailuresPerInterval, 1, $"{prefix}.{nameof(MaxFailuresPerInterval)}");
        RestartOptionRules.Positive(FailureRateInterval, $"{prefix}.{nameof(FailureRateInterval)}");
        RestartOptionRules.NotNegative(Delay, $"{prefix}.{nameof(Delay)}");
    }
}
