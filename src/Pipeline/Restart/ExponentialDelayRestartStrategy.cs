namespace Etl.Pipeline.Restart;

/// <summary>
/// Delays of initial, initial x multiplier, ... up to the max backoff, each moved by up to the jitter factor
/// either way. A job that ran for the reset threshold since its last restart started again from the initial
/// backoff; more than <see cref="ExponentialDelayRestartOptions.AttemptsBeforeResetBackoff"/> restarts without a
/// reset fail the job.
/// </summary>
internal sealed class ExponentialDelayRestartStrategy(ExponentialDelayRestartOptions options, TimeProvider time, Random random)
    : IRestartStrategy
{
    private TimeSpan _backoff = options.InitialBackoff;
    private DateTimeOffset? _lastRestartAt;
    private int _attemptsSinceReset;

    public RestartDecision OnFailure(Exception failure)
    {
        var now = time.GetUtcNow();
        if (_lastRestartAt is { } restartedAt && now - restartedAt >= options.ResetBackoffThreshold)
        {
            _backoff = options.InitialBackoff;
            _attemptsSinceReset = 0;
        }

        var attempt = ++_attemptsSinceReset;
        if (attempt > options.AttemptsBeforeResetBackoff)
        {
            return RestartDecision.Fail(
                attempt, $"exponential-delay: {options.AttemptsBeforeResetBackoff} restarts without running stably for {options.ResetBackoffThreshold}");
        }

        var delay = WithJitter(_backoff);
        _lastRestartAt = now + delay;
        var next = _backoff.TotalMilliseconds * options.BackoffMultiplier;
        _backoff = next >= options.MaxBackoff.TotalMilliseconds ? options.MaxBackoff : TimeSpan.FromMilliseconds(next);
        return RestartDecision.RestartAfter(delay, attempt, $"exponential-delay restart {attempt} after {delay}");
    }

    private TimeSpan WithJitter(TimeSpan backoff)
    {
        if (options.JitterFactor == 0)
        {
            return backoff;
        }

        // Uniform in [-jitter, +jitter] of the backoff, so restarts of many jobs spread out.
        var offset = backoff.TotalMilliseconds * options.JitterFactor * ((random.NextDouble() * 2) - 1);
        return TimeSpan.FromMilliseconds(Math.Max(0, backoff.TotalMilliseconds + offset));
    }
}
