using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Graph;

namespace Etl.Hosting;

/// <summary>
/// What a job definition returns: the job graph the host runs, and what the host needs around it. The host
/// takes the job lock (a PostgreSQL advisory lock on <see cref="LockConnectionString"/>) before anything runs,
/// calls <see cref="PrepareAsync"/> under the lock, runs <see cref="Monitors"/> beside the job, and checks the
/// restore point against <see cref="CommittedEpochs"/> so that nothing the sinks committed is written twice.
/// </summary>
/// <param name="Graph">The job: sources, operators and sinks with stable uids (see <see cref="JobBuilder"/>).</param>
/// <param name="LockConnectionString">
/// The PostgreSQL database (Npgsql connection string) in which one live worker per job is enforced: a second
/// <c>etl run</c> of the same job waits briefly and exits 2. Usually the sink's database.
/// </param>
public sealed record JobPlan(JobGraph Graph, string LockConnectionString)
{
    /// <summary>What the job's sinks committed outside checkpoint storage (for PostgreSQL: <c>Etl.Connectors.Postgres.PostgresCommittedEpochs</c>); null checks nothing.</summary>
    public ICommittedEpochs? CommittedEpochs { get; init; }

    /// <summary>Runs once under the job lock before the first run (for example: create the results table if missing).</summary>
    public Func<CancellationToken, Task>? PrepareAsync { get; init; }

    /// <summary>
    /// Run beside the job until it ends and are then cancelled (for example <c>Etl.Connectors.Kafka.LagMonitor</c>);
    /// they must end by cancellation only: a monitor's failure is logged, not fatal.
    /// </summary>
    public IReadOnlyList<Func<CancellationToken, Task>> Monitors { get; init; } = [];

    /// <summary>One line for the start-up log that says what the job is (for example its window kind).</summary>
    public string Description { get; init; } = "";
}
