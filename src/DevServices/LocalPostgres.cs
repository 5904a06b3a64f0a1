using System.Globalization;
using Npgsql;

namespace Etl.DevServices;

/// <summary>
/// A throwaway PostgreSQL cluster in a temp directory on a free loopback port, run as the <c>postgres</c>
/// user when we are root (initdb refuses root). Trust authentication, user <c>etl</c>, database <c>postgres</c>.
/// Dispose stops it and deletes the directory.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private readonly int _maxPreparedTransactions;

    private LocalPostgres(string rootDirectory, int port, int maxPreparedTransactions)
    {
        RootDirectory = rootDirectory;
        Port = port;
        _maxPreparedTransactions = maxPreparedTransactions;
    }

    /// <summary>Holds the data directory, the unix socket and postgres.log.</summary>
    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    public int Port { get; }

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=etl;Database=postgres;Pooling=false";

    /// <summary>initdb a new cluster and start it.</summary>
    public static async Task<LocalPostgres> CreateAsync(int maxPreparedTransactions, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("etl-pg-").FullName;
        var postgres = new LocalPostgres(root, FreePort.Pick(), maxPreparedTransactions);
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await ChildCommand.RunAsync("chown", ["postgres:postgres", root], cancellationToken);
            }

            // --no-sync: the cluster is thrown away, durability against OS crashes is not needed.
            await RunAsync("initdb", ["-D", postgres.DataDirectory, "-A", "trust", "-U", "etl", "-E", "UTF8", "--locale=C", "--no-sync"], cancellationToken);
            await postgres.StartAsync(cancellationToken);
            return postgres;
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>A cluster created earlier (e.g. by <c>etl dev up</c>), to stop or delete it.</summary>
    public static LocalPostgres Attach(string rootDirectory, int port) => new(rootDirectory, port, 64);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = string.Join(' ',
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-k", RootDirectory,
            "-c", "listen_addresses=127.0.0.1",
            "-c", "max_prepared_transactions=" + _maxPreparedTransactions.ToString(CultureInfo.InvariantCulture),
            // Throwaway cluster: a crash of the server process still keeps the OS page cache, so no fsync.
            "-c", "fsync=off");
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(RootDirectory, "postgres.log"), "-o", options, "-w", "-t", "60", "start"], cancellationToken);
        await WaitUntilAcceptingAsync(cancellationToken);
    }

    /// <summary>Fast shutdown: rolls back open sessions; prepared transactions survive.</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], cancellationToken);

    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await StopAsync(CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Tolerated: the server may already be gone; the directory is deleted below either way.
            }
        }

        if (Directory.Exists(RootDirectory))
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(BinDirectory, tool);
        return Environment.IsPrivilegedProcess
            ? ChildCommand.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken)
            : ChildCommand.RunAsync(path, arguments, cancellationToken);
    }

    /// <summary>ETL_PG_BIN, else the newest /usr/lib/postgresql/N/bin that has initdb.</summary>
    private static string BinDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("ETL_PG_BIN");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            var candidates = Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => Path.Combine(d, "bin"))
                    .Where(d => File.Exists(Path.Combine(d, "initdb")))
                    .OrderByDescending(d => d, StringComparer.Ordinal)
                    .ToList()
                : [];
            return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
                "No PostgreSQL server binaries found under /usr/lib/postgresql/*/bin. Install postgresql-15 (scripts/install-deps.sh) or set ETL_PG_BIN.");
        }
    }
}
