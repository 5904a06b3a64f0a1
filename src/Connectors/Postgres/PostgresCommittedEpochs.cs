using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Npgsql;

namespace Etl.Connectors.Postgres;

/// <summary>
/// What the job's PostgreSQL sinks committed, read from their commit markers (<c>&lt;sinkSchema&gt;.sink_commits</c>, one
/// row per committed epoch, written inside the epoch's own transaction, so only committed epochs are visible). The
/// runner checks its restore point against it at start (<see cref="ICommittedEpochs"/>).
/// </summary>
public sealed class PostgresCommittedEpochs(string connectionString, string sinkSchema) : ICommittedEpochs
{
    public async ValueTask<CheckpointId> HighestAsync(string jobName, CancellationToken cancellationToken)
    {
        var tables = new PostgresSinkTables(sinkSchema, jobName, "");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("table", tables.Markers);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return CheckpointId.None; // no sink of this schema ever opened: nothing committed
            }
        }

        await using var highest = new NpgsqlCommand($"SELECT coalesce(max(checkpoint_id), 0) FROM {tables.Markers} WHERE job = @job", connection);
        highest.Parameters.AddWithValue("job", jobName);
        return new CheckpointId(Convert.ToInt64(await highest.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
    }
}
