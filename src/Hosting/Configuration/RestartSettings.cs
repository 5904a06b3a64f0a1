namespace Etl.Worker.Configuration;

/// <summary>Etl:Restart: which strategy (Flink's names) and its settings.</summary>
internal sealed record RestartSettings
{
    public string Strategy { get; init; } = "exponential-delay";

    /// <summary>fixed-delay: attempts before the job fails.</summary>
    public int Attempts { get; init; } = 3;

    /// <summary>fixed-delay and failure-rate: the delay between attempts.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>exponential-delay: the first backoff.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>exponential-delay: the largest backoff.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>failure-rate: failures tolerated per <see cref="FailureRateInterval"/>.</summary>
    public int MaxFailuresPerInterval { get; init; } = 1;

    /// <summary>failure-rate: the window failures are counted in.</summary>
    public TimeSpan FailureRateInterval { get; init; } = TimeSpan.FromMinutes(1);
}
