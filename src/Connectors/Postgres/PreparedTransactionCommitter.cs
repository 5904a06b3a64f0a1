using Dapper;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Etl.Connectors.Postgres;

/// <summary>
/// The sink's control connection: it holds the subtask's advisory lock for the sink's lifetime and runs
/// COMMIT PREPARED / ROLLBACK PREPARED. It is never the writer's connection, so a commit never waits behind
/// the next epoch's writes.
/// </summary>
internal sealed class PreparedTransactionCommitter(NpgsqlConnection connection, PostgresSinkTables tables, long lockKey, ILogger logger)
    : IAsyncDisposable
{
    private const string UndefinedObject = "42704";

    public static async Task<PreparedTransactionCommitter> OpenAsync(
        string connectionString, PostgresSinkTables tables, string job, string sink, int subtask,
        Func<NpgsqlConnection, Task> createTables, ILogger logger, CancellationToken cancellationToken)
    {
        // Unpooled: closing must end the session, so that the advisory lock goes with this instance.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var maxPrepared = await PreparedTransactionsCheck.EnsureEnabledAsync(connection, cancellationToken);
            var lockKey = AdvisoryLockKey.ForSinkSubtask(job, sink, subtask);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
            {
                lockCommand.Parameters.AddWithValue("key", lockKey);
                if (await lockCommand.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    throw new SinkInstanceConflictException(
                        $"Another instance of job '{job}' already runs sink '{sink}' subtask {subtask} against " +
                        $"{connection.Host}:{connection.Port}/{connection.Database} (it holds the subtask's advisory lock). " +
                        "Stop the other worker first, or run this one under a different job name or sink uid.");
                }
            }

            await createTables(connection);
            PostgresSinkLog.Opened(logger, job, sink, subtask, maxPrepared);
            return new PreparedTransactionCommitter(connection, tables, lockKey, logger);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>COMMIT PREPARED; "no such gid" with a commit marker present counts as already committed.</summary>
    public async Task CommitAsync(string gid, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand($"COMMIT PREPARED '{gid}'", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == UndefinedObject)
        {
            if (!await MarkerExistsAsync(gid, cancellationToken))
            {
                throw new TransactionLostException(
                    $"Prepared transaction '{gid}' is not in pg_prepared_xacts and has no commit marker in {tables.Markers}: " +
                    "it was rolled back outside the sink (or the database is older than the checkpoint), so its rows are lost. " +
                    "The sink will not guess: restore from a checkpoint before it, or accept the loss knowingly.", e);
            }

            PostgresSinkLog.AlreadyCommitted(logger, gid);
        }
    }

    /// <summary>
    /// Rolls back every prepared transaction of this job and sink that this subtask owns (<see cref="SubtaskOwnership"/>)
    /// and that is not in <paramref name="keep"/>.
    /// </summary>
    public async Task<int> RollbackLingeringAsync(
        string job, string sink, int subtask, int parallelism, IReadOnlySet<string> keep, CancellationToken cancellationToken)
    {
        var prepared = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND gid LIKE @pattern ORDER BY gid",
            new { pattern = TransactionGid.LikePatternOf(job, sink) },
            cancellationToken: cancellationToken));
        var lingering = prepared
            .Where(gid => TransactionGid.TryParse(gid, out var parsed)
                && parsed.Job == job && parsed.Sink == sink
                && SubtaskOwnership.Owns(subtask, parsed.Subtask, parallelism)
                && !keep.Contains(gid))
            .ToList();

        foreach (var gid in lingering)
        {
            try
            {
                await using var rollback = new NpgsqlCommand($"ROLLBACK PREPARED '{gid}'", connection);
                await rollback.ExecuteNonQueryAsync(cancellationToken);
                PostgresSinkLog.RolledBackLingering(logger, gid);
            }
            catch (PostgresException e) when (e.SqlState == UndefinedObject)
            {
                // Tolerated: it vanished between the query and the rollback, which is the outcome we wanted.
            }
        }

        return lingering.Count;
    }

    /// <summary>The control connection, for work that must not wait behind the writer (applying staged epochs).</summary>
    public NpgsqlConnection Connection => connection;

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Unlock explicitly: a closed session releases it too, but only once the server notices, so an
            // orderly restart in the same process could otherwise race its own previous instance.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                unlock.Parameters.AddWithValue("key", lockKey);
                await unlock.ExecuteScalarAsync();
            }
        }
        catch (NpgsqlException)
        {
            // Tolerated: the session is broken, and its end releases the lock anyway.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private Task<bool> MarkerExistsAsync(string gid, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM {tables.Markers} WHERE gid = @gid)", new { gid }, cancellationToken: cancellationToken));
}
