namespace Etl.Pipeline.Restart;

/// <summary>
/// Restarts unless this failure is more than <see cref="FailureRateRestartOptions.MaxFailuresPerInterval"/> within the
/// last <see cref="FailureRateRestartOptions.FailureRateInterval"/> (the window ends at this failure and excludes its
/// start).
/// </summary>
internal sealed class FailureRateRestartStrategy(FailureRateRestartOptions options, TimeProvider time) : IRestartStrategy
{
    private readonly Queue<DateTimeOffset> _recentFailures = new();
    private int _failures;

    public RestartDecision OnFailure(Exception failure)
    {
        var now = time.GetUtcNow();
        var attempt = ++_failures;
        while (_recentFailures.Count > 0 && now - _recentFailures.Peek() >= options.FailureRateInterval)
        {
            _recentFailures.Dequeue();
        }

        _recentFailures.Enqueue(now);
        return _recentFailures.Count <= options.MaxFailuresPerInterval
            ? RestartDecision.RestartAfter(
                options.Delay, attempt, $"failure-rate: {_recentFailures.Count} of at most {options.MaxFailuresPerInterval} failures within {options.FailureRateInterval}")
            : RestartDecision.Fail(
                attempt, $"failure-rate exceeded: {_recentFailures.Count} failures within {options.FailureRateInterval}, at most {options.MaxFailuresPerInterval} allowed");
    }
}
