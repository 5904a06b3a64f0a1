namespace Etl.Pipeline.Restart;

/// <summary>Which restart strategy a job uses (Flink's <c>restart-strategy.type</c>).</summary>
public enum RestartStrategyKind
{
    /// <summary>Never restart: the first failure fails the job (<c>none</c>).</summary>
    None,

    /// <summary>A fixed number of attempts with a fixed delay (<c>fixed-delay</c>).</summary>
    FixedDelay,

    /// <summary>Growing delays with jitter, reset after a stable run (<c>exponential-delay</c>, Flink 1.19's default).</summary>
    ExponentialDelay,

    /// <summary>Restart unless too many failures fall within an interval (<c>failure-rate</c>).</summary>
    FailureRate,
}
