namespace Etl.Pipeline.Restart;

/// <summary>Up to <see cref="FixedDelayRestartOptions.Attempts"/> restarts over the job's life, each after the same delay.</summary>
internal sealed class FixedDelayRestartStrategy(FixedDelayRestartOptions options) : IRestartStrategy
{
    private int _failures;

    public RestartDecision OnFailure(Exception failure)
    {
        var attempt = ++_failures;
        return attempt <= options.Attempts
            ? RestartDecision.RestartAfter(options.Delay, attempt, $"fixed-delay restart {attempt} of {options.Attempts}")
            : RestartDecision.Fail(attempt, $"fixed-delay restart attempts exhausted ({options.Attempts})");
    }
}
