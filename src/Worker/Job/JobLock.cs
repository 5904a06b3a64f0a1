using System.Globalization;
using System.Text;
using Npgsql;

namespace Etl.Worker.Job;

/// <summary>
/// One live worker per job: a PostgreSQL session advisory lock on <c>etl-worker:{job}</c>, held on a
/// dedicated connection for the worker's lifetime. The database is the resource two workers would
/// corrupt, and a crashed worker's lock goes away with its connection. A second worker waits briefly (a
/// killed predecessor's backend may still be exiting), then is refused with the holder's pid and host.
/// The sink's per-subtask locks stay as the second line of defence.
/// </summary>
internal sealed class JobLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private JobLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        Key = key;
    }

    public long Key { get; }

    public static async Task<JobLock> AcquireAsync(string connectionString, string job, TimeSpan wait, CancellationToken cancellationToken)
    {
        var key = KeyOf(job);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = $"etl-worker {job} pid {Environment.ProcessId}",
            KeepAlive = 10,
        };
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
                command.Parameters.AddWithValue("key", key);
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                {
                    return new JobLock(connection, key);
                }

                if (DateTime.UtcNow >= deadline)
                {
                    var holder = await HolderAsync(connection, key, cancellationToken);
                    throw new JobAlreadyRunningException(
                        $"Job '{job}' is already running in another worker ({holder}): it holds the job's lock (PostgreSQL advisory lock " +
                        $"{key.ToString(CultureInfo.InvariantCulture)}). Stop that worker first (SIGTERM stops it with a savepoint), " +
                        "or run this one under a different Etl:JobName.");
                }
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            await connection.DisposeAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>True while the lock's connection is alive (a PostgreSQL restart drops it, and the lock with it).</summary>
    public async Task<bool> IsHeldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", _connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    internal static long KeyOf(string job)
    {
        // FNV-1a over UTF-8: the same key in every process (string.GetHashCode is randomised per process).
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"etl-worker:{job}"))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private static async Task<string> HolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT coalesce(a.application_name, '') || ' from ' || coalesce(host(a.client_addr), 'local socket')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = @key
            LIMIT 1
            """;
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? "holder unknown";
    }
}
