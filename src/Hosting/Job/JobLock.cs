using System.Globalization;
using Etl.Connectors.Postgres;
using Npgsql;

namespace Etl.Hosting.Job;

/// <summary>
/// One live worker per job: a PostgreSQL session advisory lock on <c>etl-worker:{job}</c>, held on a
/// dedicated connection. The database is the resource two workers would corrupt, and a crashed worker's
/// lock goes away with its connection. A second worker waits briefly (a killed predecessor's backend may
/// still be exiting), then is refused with the holder's pid and host; a standby waits as long as it takes
/// (<see cref="AwaitAsync"/>). The sink's per-subtask locks stay as
/// the second line of defence.
/// </summary>
/// <remarks>
/// The lock lives exactly as long as its session. A watch on the connection turns the session's end (backend
/// terminated, PostgreSQL restarted, connection broken) into <see cref="Lost"/> at once; a silent peer is
/// found by a probe every <see cref="ProbeInterval"/> that must answer within <see cref="ProbeTimeout"/>.
/// Once lost, a lock is never held again: the job must stop, and only then take a new <see cref="JobLock"/>.
/// </remarks>
internal sealed class JobLock : IAsyncDisposable
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly Task _watch;
    private int _disposeCount;

    private JobLock(NpgsqlConnection connection, string job, long key)
    {
        _connection = connection;
        Job = job;
        Key = key;
        _watch = Task.Run(WatchAsync, CancellationToken.None);
    }

    public string Job { get; }

    public long Key { get; }

    /// <summary>Cancelled as soon as the lock's session is seen to end: from then on another worker may own the job.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Why <see cref="Lost"/> fired, for the log.</summary>
    public Exception? LostBecause { get; private set; }

    /// <summary>
    /// Takes the job's lock. While another session holds it, retries for <paramref name="wait"/>, then throws
    /// <see cref="JobAlreadyRunningException"/>. While PostgreSQL cannot be reached, retries for
    /// <paramref name="unreachable"/> (zero: the first connection error is thrown).
    /// </summary>
    public static async Task<JobLock> AcquireAsync(
        string connectionString, string job, TimeSpan wait, TimeSpan unreachable, CancellationToken cancellationToken)
    {
        var key = AdvisoryLockKey.ForJob(job);
        var builder = LockSession(connectionString, job);
        var started = DateTime.UtcNow;
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
                    return new JobLock(connection, job, key);
                }

                if (DateTime.UtcNow >= started + wait)
                {
                    var holder = await HolderAsync(connection, key, cancellationToken);
                    throw new JobAlreadyRunningException(
                        $"Job '{job}' is already running in another worker ({holder}): it holds the job's lock (PostgreSQL advisory lock " +
                        $"{key.ToString(CultureInfo.InvariantCulture)}). Stop that worker first (SIGTERM stops it with a savepoint), " +
                        "or run this one under a different Etl:JobName.");
                }
            }
            catch (NpgsqlException) when (DateTime.UtcNow < started + unreachable && !cancellationToken.IsCancellationRequested)
            {
                // PostgreSQL is restarting (or briefly unreachable): try again until the patience runs out.
                await connection.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                continue;
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

    /// <summary>
    /// Takes the job's lock as a standby: waits for as long as another session holds it, in a blocking
    /// <c>pg_advisory_lock</c> that PostgreSQL grants the moment the holder's session ends (a killed worker's backend
    /// exits when its socket closes). <paramref name="waiting"/> is told who holds the lock each time a wait starts.
    /// Until the first connection succeeds, connection errors are retried for <paramref name="unreachableAtStart"/> (zero: a
    /// wrong connection string fails at once instead of waiting forever); a connection lost later (PostgreSQL restarting)
    /// is retried for <paramref name="unreachableWhileWaiting"/>.
    /// </summary>
    public static async Task<JobLock> AwaitAsync(
        string connectionString, string job, Action<string> waiting, TimeSpan unreachableAtStart, TimeSpan unreachableWhileWaiting,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        var key = AdvisoryLockKey.ForJob(job);
        var builder = LockSession(connectionString, job);
        var connected = false;
        DateTime? unreachableSince = null;
        while (true)
        {
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                connected = true;
                unreachableSince = null;
                await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
                {
                    tryLock.Parameters.AddWithValue("key", key);
                    if ((bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
                    {
                        return new JobLock(connection, job, key);
                    }
                }

                waiting(await HolderAsync(connection, key, cancellationToken));

                // Timeouts a server or role may set would end the wait early; this session waits without one.
                await using (var noTimeouts = new NpgsqlCommand("SET statement_timeout = 0; SET lock_timeout = 0", connection))
                {
                    await noTimeouts.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var wait = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 })
                {
                    wait.Parameters.AddWithValue("key", key);
                    await wait.ExecuteNonQueryAsync(cancellationToken);
                }

                return new JobLock(connection, job, key);
            }
            catch (NpgsqlException) when (!cancellationToken.IsCancellationRequested
                && DateTime.UtcNow < (unreachableSince ??= DateTime.UtcNow) + (connected ? unreachableWhileWaiting : unreachableAtStart))
            {
                // The waiting session ended (PostgreSQL restarting, a broken connection): wait again on a new one.
                await connection.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Increment(ref _disposeCount) > 1)
        {
            return;
        }

        await _disposed.CancelAsync();
        try
        {
            await _watch;
        }
        catch (OperationCanceledException)
        {
            // The watch ends by cancellation.
        }

        await _connection.DisposeAsync();
        _lost.Dispose();
        _disposed.Dispose();
    }

    private async Task WatchAsync()
    {
        var stop = _disposed.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // The server announces a terminated backend or a shutdown (FATAL 57P01/57P02) before closing the
                // socket: the wait throws as soon as it arrives. A quiet interval ends with a probe, which finds a
                // peer that vanished without a word.
                if (!await _connection.WaitAsync(ProbeInterval, stop))
                {
                    await using var probe = new NpgsqlCommand("SELECT 1", _connection);
                    await probe.ExecuteScalarAsync(stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed: the lock is given up on purpose.
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
        {
            LostBecause = e;
            await _lost.CancelAsync();
        }
    }

    /// <summary>The lock's own session: unpooled (closing it must end the session and release the lock), named for <see cref="HolderAsync"/>.</summary>
    private static NpgsqlConnectionStringBuilder LockSession(string connectionString, string job) => new(connectionString)
    {
        Pooling = false,
        ApplicationName = $"etl-worker {job} pid {Environment.ProcessId}",
        KeepAlive = 10,
        CommandTimeout = (int)ProbeTimeout.TotalSeconds,
    };

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
