using Etl.Pipeline;
using Etl.TwoPhaseCommit;
using Microsoft.Extensions.Logging;

namespace Etl.Connectors.Postgres;

/// <summary>The exactly-once PostgreSQL sink (docs/postgres-sink.md).</summary>
public static class PostgresSink
{
    /// <summary>
    /// A sink that writes records into <see cref="PostgresSinkOptions{T}.Table"/> with one prepared
    /// transaction per checkpoint epoch. Options are validated when it opens.
    /// </summary>
    public static ISink<T> Create<T>(PostgresSinkOptions<T> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TwoPhaseCommitSink<PostgresEpoch<T>, T>(new PostgresSinkParticipant<T>(options, loggerFactory));
    }
}
