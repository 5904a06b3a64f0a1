using Etl.Connectors.Postgres;
using Etl.Pipeline.Restart;
using Etl.Pipeline.Runtime;
using Etl.Worker.Configuration;

namespace Etl.Worker.Job;

/// <summary>
/// The runtime's restart callback: the configured restart strategy, except for failures a restart cannot
/// fix (another worker owns the job, prepared transactions disabled, a lost transaction): those fail at once.
/// </summary>
internal static class RestartPolicy
{
    public static Func<JobFailure, Pipeline.Runtime.RestartDecision> Create(RestartSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var strategy = RestartStrategies.Create(Options(settings), time);
        return failure =>
        {
            if (IsFatal(failure.Error))
            {
                return Pipeline.Runtime.RestartDecision.DoNotRestart;
            }

            var decision = strategy.OnFailure();
            return decision.ShouldRestart ? Pipeline.Runtime.RestartDecision.After(decision.Delay) : Pipeline.Runtime.RestartDecision.DoNotRestart;
        };
    }

    public static RestartStrategyOptions Options(RestartSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RestartStrategyOptions
        {
            Kind = RestartStrategyOptions.ParseKind(settings.Strategy),
            FixedDelay = new FixedDelayRestartOptions { Attempts = settings.Attempts, Delay = settings.Delay },
            ExponentialDelay = new ExponentialDelayRestartOptions { InitialBackoff = settings.InitialBackoff, MaxBackoff = settings.MaxBackoff },
            FailureRate = new FailureRateRestartOptions
            {
                MaxFailuresPerInterval = settings.MaxFailuresPerInterval,
                FailureRateInterval = settings.FailureRateInterval,
                Delay = settings.Delay,
            },
        };
    }

    public static bool IsFatal(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SinkInstanceConflictException or PreparedTransactionsDisabledException or TransactionLostException or JobAlreadyRunningException)
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsFatal))
            {
                return true;
            }
        }

        return false;
    }
}
