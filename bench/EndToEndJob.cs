using Etl.Hosting.Configuration;
using Etl.Samples.OrderTotals.Configuration;

namespace Etl.Bench;

/// <summary>One benchmark run of the order-total job: the job's settings and the host's, as `etl run` would read them.</summary>
internal sealed record EndToEndJob(OrderTotalsSettings Settings, WorkerOptions Host)
{
    public string JobName => Host.JobName;

    public PostgresSettings Postgres => Settings.Postgres;

    public CheckpointSettings Checkpoints => Host.Checkpoints;

    public string SavepointDirectory => Host.SavepointDirectory;

    public int Parallelism => Host.Parallelism;

    /// <summary>A bounded run (<c>--stop-at-end</c>).</summary>
    public bool StopAtEnd { get; init; }
}
