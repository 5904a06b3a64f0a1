namespace Etl.Pipeline.Restart;

/// <summary>Builds the restart strategy a job's options ask for; one strategy per job run.</summary>
public static class RestartStrategies
{
    /// <param name="options">Validated here; a bad setting throws <see cref="ArgumentException"/> naming it.</param>
    /// <param name="time">The clock failures are timed with.</param>
    /// <param name="random">The source of jitter (seed it in tests); a shared one when null.</param>
    public static IRestartStrategy Create(RestartStrategyOptions options, TimeProvider time, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        return options.Kind switch
        {
            RestartStrategyKind.None => new NoRestartStrategy(),
            RestartStrategyKind.FixedDelay => new FixedDelayRestartStrategy(options.FixedDelay),
            RestartStrategyKind.ExponentialDelay => new ExponentialDelayRestartStrategy(options.ExponentialDelay, time, random ?? Random.Shared),
            RestartStrategyKind.FailureRate => new FailureRateRestartStrategy(options.FailureRate, time),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown restart strategy kind."),
        };
    }
}
