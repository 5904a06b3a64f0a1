using Etl.Connectors.Postgres;
using Etl.Pipeline.Restart;
using Etl.Worker.Configuration;

namespace Etl.Worker.Job;

/// <summary>
/// The job's restart strategy: the configured one (Etl:Restart), except after a failure a restart cannot fix
/// (another instance owns the sink, prepared transactions disabled, a lost transaction): then the job fails
/// at once instead of restarting in a loop.
/// </summary>
internal sealed class RestartPolicy(IRestartStrategy configured, FatalFailures fatal) : IRestartStrategy
{
    public static RestartPolicy Create(RestartSettings settings, TimeProvider time, FatalFailures fatal) =>
        new(RestartStrategies.Create(Options(settings), time), fatal);

    public RestartDecision OnFailure() => fatal.First is { } error
        ? RestartDecision.Fail(0, $"not restarting: {error.GetType().Name} cannot be fixed by a restart ({error.Message})")
        : configured.OnFailure();

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
            if (e is SinkInstanceConflictException or PreparedTransactionsDisabledException or TransactionLostException or JobAlreadyRunningException
                or SinkTableMismatchException)
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
