namespace Etl.Pipeline.Restart;

/// <summary>
/// The restart strategy of a job, in a shape that binds from configuration: a kind and the settings of each
/// kind (only the chosen kind's settings are used and validated).
/// </summary>
public sealed record RestartStrategyOptions
{
    /// <summary>Which strategy (default exponential delay, as in Flink 1.19 with checkpointing on).</summary>
    public RestartStrategyKind Kind { get; init; } = RestartStrategyKind.ExponentialDelay;

    public FixedDelayRestartOptions FixedDelay { get; init; } = new();

    public ExponentialDelayRestartOptions ExponentialDelay { get; init; } = new();

    public FailureRateRestartOptions FailureRate { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        const string Prefix = nameof(RestartStrategyOptions);
        switch (Kind)
        {
            case RestartStrategyKind.None:
                break;
            case RestartStrategyKind.FixedDelay:
                (FixedDelay ?? throw Missing(nameof(FixedDelay))).Validate($"{Prefix}.{nameof(FixedDelay)}");
                break;
            case RestartStrategyKind.ExponentialDelay:
                (ExponentialDelay ?? throw Missing(nameof(ExponentialDelay))).Validate($"{Prefix}.{nameof(ExponentialDelay)}");
                break;
            case RestartStrategyKind.FailureRate:
                (FailureRate ?? throw Missing(nameof(FailureRate))).Validate($"{Prefix}.{nameof(FailureRate)}");
                break;
            default:
                throw new ArgumentException(
                    $"{Prefix}.{nameof(Kind)} is not a known restart strategy: {Kind}. Use none, fixed-delay, exponential-delay or failure-rate.",
                    nameof(Kind));
        }
    }

    /// <summary>Reads Flink's names (<c>none</c>/<c>disable</c>, <c>fixed-delay</c>, <c>exponential-delay</c>, <c>failure-rate</c>) or the enum's.</summary>
    public static RestartStrategyKind ParseKind(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var normalised = value.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (normalised.Equals("disable", StringComparison.OrdinalIgnoreCase) || normalised.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return RestartStrategyKind.None;
        }

        if (Enum.TryParse<RestartStrategyKind>(normalised, ignoreCase: true, out var kind) && Enum.IsDefined(kind) &&
            !int.TryParse(normalised, out _))
        {
            return kind;
        }

        throw new ArgumentException(
            $"{nameof(RestartStrategyOptions)}.{nameof(Kind)} '{value}' is not a restart strategy. Use none, fixed-delay, exponential-delay or failure-rate.",
            nameof(value));
    }

    private static ArgumentException Missing(string section) =>
        new($"{nameof(RestartStrategyOptions)}.{section} must be set when {nameof(RestartStrategyOptions)}.{nameof(Kind)} selects it.", section);
}
