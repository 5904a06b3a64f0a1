using Etl.Connectors.Postgres;
using Etl.Pipeline.Restart;

namespace Etl.Hosting.Job;

/// <summary>
/// The job's restart strategy: the configured one (Etl:Restart), except after a failure a restart cannot fix
/// (another instance owns the sink, prepared transactions disabled, a lost transaction, a results table of the
/// wrong shape): then the job fails at once instead of restarting in a loop. The runtime hands it the failure.
/// </summary>
internal sealed class RestartPolicy(IRestartStrategy configured) : IRestartStrategy
{
    public static RestartPolicy Create(RestartStrategyOptions options, TimeProvider time) => new(RestartStrategies.Create(options, time));

    public RestartDecision OnFailure(Exception failure) => FatalIn(failure) is { } error
        ? RestartDecision.Fail(0, $"not restarting: {error.GetType().Name} cannot be fixed by a restart ({error.Message})")
        : configured.OnFailure(failure);

    /// <summary>The first error in <paramref name="error"/> (its inner and aggregated errors included) that no restart can fix.</summary>
    public static Exception? FatalIn(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SinkInstanceConflictException or PreparedTransactionsDisabledException or TransactionLostException or JobAlreadyRunningException
                or SinkTableMismatchException)
            {
                return e;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(FatalIn).FirstOrDefault(f => f is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}
