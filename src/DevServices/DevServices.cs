using System.Diagnostics;
using System.Globalization;
using Etl.DevServices.Kafka;

namespace Etl.DevServices;

/// <summary>
/// <c>etl dev up</c> / <c>etl dev down</c>: the local Kafka (mock cluster in a detached <c>etl dev kafka</c>
/// process), a throwaway PostgreSQL and a one-node Ceph S3 store, described in <c>.local/services.env</c>. A service
/// whose variable (KAFKA_BOOTSTRAP_SERVERS, ETL_POSTGRES, ETL_S3_ENDPOINTS) is already set in the environment is not
/// started, and <c>--no-s3</c> leaves S3 out (the demo needs none).
/// </summary>
internal static class DevServices
{
    public static async Task<int> UpAsync(int brokers, bool s3, CancellationToken cancellationToken)
    {
        var path = RepoLayout.ServicesFilePath;
        if (File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"{path} exists: the local services may be running. Run `etl dev down` first.");
            return 1;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServicesFile.KafkaBootstrapServers)))
            {
                var health = await StartKafkaAsync(brokers, values, cancellationToken);
                await Console.Out.WriteLineAsync($"kafka: mock cluster of {health.BrokerCount} brokers at {health.BootstrapServers} (pid {health.ProcessId}, control {values[ServicesFile.KafkaControl]}) on {health.Librdkafka}");
            }
            else
            {
                await Console.Out.WriteLineAsync("kafka: KAFKA_BOOTSTRAP_SERVERS is set, not starting the mock cluster");
            }

            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServicesFile.Postgres)))
            {
                var postgres = await LocalPostgres.CreateAsync(maxPreparedTransactions: 64, cancellationToken);
                values[ServicesFile.Postgres] = postgres.ConnectionString;
                values[ServicesFile.PostgresDirectory] = postgres.RootDirectory;
                values[ServicesFile.PostgresPort] = postgres.Port.ToString(CultureInfo.InvariantCulture);
                await Console.Out.WriteLineAsync($"postgres: {postgres.ConnectionString} (dir {postgres.RootDirectory})");
            }
            else
            {
                await Console.Out.WriteLineAsync("postgres: ETL_POSTGRES is set, not starting a local cluster");
            }

            if (s3)
            {
                await LocalS3Service.UpAsync(values, cancellationToken);
            }
            else
            {
                await Console.Out.WriteLineAsync("s3: --no-s3, not starting a local store");
            }
        }
        catch
        {
            await StopAsync(values);
            throw;
        }

        await ServicesFile.WriteAsync(path, values, cancellationToken);
        await Console.Out.WriteLineAsync($"wrote {path}");
        return 0;
    }

    public static async Task<int> DownAsync(CancellationToken cancellationToken)
    {
        var path = RepoLayout.ServicesFilePath;
        var values = ServicesFile.ReadOrEmpty(path);
        await StopAsync(values);
        File.Delete(path);
        await Console.Out.WriteLineAsync("local services stopped");
        return 0;
    }

    private static async Task<MockKafkaHealth> StartKafkaAsync(int brokers, Dictionary<string, string> values, CancellationToken cancellationToken)
    {
        var port = FreePort.Pick();
        var control = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        Directory.CreateDirectory(RepoLayout.LocalDirectory);
        var log = Path.Combine(RepoLayout.LocalDirectory, "kafka.log");
        var (fileName, prefix) = RepoLayout.SelfCommand();

        // setsid + redirections: the host outlives this process and holds none of our pipes (a CI runner
        // waiting for our stdout to close would otherwise hang until the host exits).
        await ChildCommand.RunAsync("/bin/sh",
            ["-c", "log=$1; shift; setsid \"$@\" >\"$log\" 2>&1 </dev/null &", "sh", log,
             fileName, .. prefix, "dev", "kafka", "--brokers", brokers.ToString(CultureInfo.InvariantCulture), "--control-port", port.ToString(CultureInfo.InvariantCulture)],
            cancellationToken);

        values[ServicesFile.KafkaControl] = control.ToString();
        using var client = new MockKafkaControl(control);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var health = await client.GetHealthAsync(cancellationToken);
                values[ServicesFile.KafkaBootstrapServers] = health.BootstrapServers;
                values[ServicesFile.KafkaPid] = health.ProcessId.ToString(CultureInfo.InvariantCulture);
                return health;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                var output = File.Exists(log) ? await File.ReadAllTextAsync(log, cancellationToken) : "";
                throw new InvalidOperationException($"The mock Kafka host did not answer on {control} within 30 s. Its log ({log}):\n{output}", e);
            }
        }
    }

    private static async Task StopAsync(Dictionary<string, string> values)
    {
        if (values.TryGetValue(ServicesFile.KafkaControl, out var control))
        {
            await StopKafkaAsync(new Uri(control), values.GetValueOrDefault(ServicesFile.KafkaPid));
        }

        if (values.TryGetValue(ServicesFile.PostgresDirectory, out var dir) && values.TryGetValue(ServicesFile.PostgresPort, out var port))
        {
            await LocalPostgres.Attach(dir, int.Parse(port, CultureInfo.InvariantCulture)).DisposeAsync();
        }

        if (values.TryGetValue(ServicesFile.S3Directory, out var s3))
        {
            await LocalS3.Attach(s3).DisposeAsync();
        }
    }

    private static async Task StopKafkaAsync(Uri control, string? pidText)
    {
        using var client = new MockKafkaControl(control);
        try
        {
            await client.ShutdownAsync(CancellationToken.None);
        }
        catch (HttpRequestException)
        {
            // Tolerated: the host may have died already; the pid check below makes sure it is gone.
        }

        if (!int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }
        catch (ArgumentException)
        {
            // No such process: it exited already.
        }
    }
}
