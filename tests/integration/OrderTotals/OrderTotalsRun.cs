using System.Diagnostics;
using Etl.Samples.OrderTotals.Configuration;
using Etl.Samples.OrderTotals.Demo;
using Etl.Tests.Integration.Infrastructure;
using Npgsql;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// One order-total job under test: a fresh topic (4 partitions), a fresh schema holding the totals table and
/// the sink's tables, a fresh job name and checkpoint directory, a seeded order stream, and workers started
/// as separate processes (<c>dotnet etl.dll run</c>). <see cref="CheckAsync"/> compares what the job wrote
/// with the independent reference computation.
/// </summary>
internal sealed class OrderTotalsRun : IAsyncDisposable
{
    public static readonly WindowSettings TumblingWindow = new()
    {
        Kind = WindowKind.Tumbling,
        Size = TimeSpan.FromSeconds(10),
        OutOfOrderness = TimeSpan.FromSeconds(2),
        AllowedLateness = TimeSpan.FromSeconds(2),
    };

    private readonly string _checkpoints;

    private OrderTotalsRun(string topic, string schema, string postgres, string bootstrap, IReadOnlyList<GeneratedOrder> records, WindowSettings window)
    {
        Window = window;
        Topic = topic;
        Schema = schema;
        Postgres = postgres;
        Bootstrap = bootstrap;
        Records = records;
        JobName = "job-" + Guid.NewGuid().ToString("N")[..12];
        _checkpoints = Path.Combine(Path.GetTempPath(), "etl-it-" + JobName);
    }

    public WindowSettings Window { get; }

    public string Topic { get; }

    public string Schema { get; }

    public string Postgres { get; }

    public string Bootstrap { get; }

    public string JobName { get; }

    public string CheckpointDirectory => _checkpoints;

    public IReadOnlyList<GeneratedOrder> Records { get; }

    /// <param name="postgres">A PostgreSQL of the test's own (e.g. one it restarts); the shared one when null.</param>
    /// <param name="window">The job's windows; 10 s tumbling when null.</param>
    /// <param name="lateFraction">Share of orders generated far behind the stream.</param>
    /// <param name="malformedFraction">Share of records that are not orders (dead letters).</param>
    /// <param name="hostileFraction">Share of hostile records (<see cref="HostileInput"/>).</param>
    public static async Task<OrderTotalsRun> CreateAsync(
        int count, int seed, CancellationToken cancellationToken, string? postgres = null, WindowSettings? window = null, double lateFraction = 0.01,
        double malformedFraction = 0.01, double hostileFraction = 0)
    {
        window ??= TumblingWindow;
        var topic = await TestTopics.CreateAsync(4, cancellationToken, "orders");
        var schema = "ot_" + Guid.NewGuid().ToString("N")[..12];
        var connection = postgres ?? TestServices.PostgresConnectionString;
        await ExecuteAsync(connection, $"CREATE SCHEMA {schema}", cancellationToken);
        var records = OrderStream.Generate(OrderStreamOptions.ForJob(window, count, seed) with
        {
            Customers = 40,
            LateFraction = lateFraction,
            MalformedFraction = malformedFraction,
            HostileFraction = hostileFraction,
        });
        return new OrderTotalsRun(topic, schema, connection, TestServices.KafkaBootstrapServers, records, window);
    }

    /// <summary>The worker's settings, as environment variables (README "Configuration").</summary>
    public Dictionary<string, string> Environment(string? fault = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Etl__JobName"] = JobName,
            ["Etl__Parallelism"] = "2",
            ["Etl__Kafka__BootstrapServers"] = Bootstrap,
            ["Etl__Kafka__Topic"] = Topic,
            ["Etl__Postgres__ConnectionString"] = Postgres,
            ["Etl__Postgres__Table"] = $"{Schema}.order_totals",
            ["Etl__Postgres__SinkSchema"] = Schema,
            ["Etl__Window__Kind"] = Window.Kind.ToString(),
            ["Etl__Window__Size"] = Ms(Window.Size),
            ["Etl__Window__Slide"] = Ms(Window.Slide),
            ["Etl__Window__Gap"] = Ms(Window.Gap),
            ["Etl__Window__OutOfOrderness"] = Ms(Window.OutOfOrderness),
            ["Etl__Window__AllowedLateness"] = Ms(Window.AllowedLateness),
            ["Etl__Checkpoints__Directory"] = _checkpoints,
            ["Etl__Checkpoints__Interval"] = "300ms",
            ["Etl__Restart__Strategy"] = "fixed-delay",
            ["Etl__Restart__Attempts"] = "1000",
            ["Etl__Restart__Delay"] = "200ms",
            ["Etl__Http__Port"] = "0",
            ["ETL_FAULT"] = fault ?? "",
        };
        return environment;
    }

    private static string Ms(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + "ms";

    public EtlProcess StartWorker(string? fault = null, params string[] arguments) =>
        EtlProcess.Start(["run", .. arguments], Environment(fault));

    /// <summary>A worker whose settings are <see cref="Environment"/> with <paramref name="settings"/> on top.</summary>
    public EtlProcess StartWorkerWith(IReadOnlyDictionary<string, string> settings, string? fault = null, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var environment = Environment(fault);
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return EtlProcess.Start(["run", .. arguments], environment);
    }

    public Task ProduceAsync(int from, int to, CancellationToken cancellationToken) =>
        OrderProducer.ProduceAsync(Bootstrap, Topic, [.. Records.Skip(from).Take(to - from)], null, cancellationToken);

    /// <summary>Produces everything in chunks with pauses, so that production overlaps the workers' lives.</summary>
    public Task ProduceSlowlyAsync(int chunks, TimeSpan pause, CancellationToken cancellationToken) =>
        ProduceSlowlyAsync(0, Records.Count, chunks, pause, cancellationToken);

    /// <summary>Produces records [<paramref name="from"/>, <paramref name="to"/>) in chunks with pauses.</summary>
    public async Task ProduceSlowlyAsync(int from, int to, int chunks, TimeSpan pause, CancellationToken cancellationToken)
    {
        var size = (to - from + chunks - 1) / chunks;
        for (var start = from; start < to; start += size)
        {
            await ProduceAsync(start, Math.Min(to, start + size), cancellationToken);
            await Task.Delay(pause, cancellationToken);
        }
    }

    /// <summary>A bounded run to the end of the input (fires every window); asserts it finishes cleanly.</summary>
    public async Task RunToEndAsync(TimeSpan timeout)
    {
        await using var worker = StartWorker(null, "--stop-at-end");
        var exit = await worker.WaitForExitAsync(timeout);
        Assert.True(exit == 0, $"The bounded run exited with {exit}.\nstdout:\n{string.Join('\n', worker.OutputLines)}\nstderr:\n{worker.ErrorText}");
        Assert.Contains(worker.OutputLines, l => l.StartsWith("finished: checkpoint", StringComparison.Ordinal));
    }

    public async Task<CheckReport> CheckAsync(CancellationToken cancellationToken)
    {
        var table = await OrderTotalsReader.TotalsAsync(Postgres, $"{Schema}.order_totals", cancellationToken);
        var deadLetters = await OrderTotalsReader.DeadLettersAsync(Postgres, Schema, JobName, cancellationToken);
        return OrderTotalsCheck.Run(Records, Window, 4, table, deadLetters);
    }

    /// <summary>Asserts the exactly-once outcome: exact totals, each bad record dead-lettered once, nothing left prepared.</summary>
    public async Task AssertExactlyOnceAsync(CancellationToken cancellationToken)
    {
        var report = await CheckAsync(cancellationToken);
        Assert.True(report.IsExact, $"{report.Summary}\n{string.Join('\n', report.Problems)}");
        Assert.True(report.Windows > 50, $"Only {report.Windows} windows: the test stream is too small to mean anything.");
        Assert.Equal(Records.Count(r => r.Kind == GeneratedKind.Malformed), report.Malformed);
        var duplicates = await ScalarAsync(
            $"SELECT count(*) - count(DISTINCT (source_partition, source_offset)) FROM {Schema}.dead_letters WHERE job = '{JobName}' AND reason = 'deserialization'",
            cancellationToken);
        Assert.Equal(0L, duplicates);
        Assert.Empty(await PreparedAsync(cancellationToken));
    }

    public Task<IReadOnlyList<string>> PreparedAsync(CancellationToken cancellationToken) =>
        OrderTotalsReader.PreparedTransactionsAsync(Postgres, JobName, cancellationToken);

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for the worker's endpoint line on stdout and for /health/ready.</summary>
    public static async Task<Uri> WaitUntilReadyAsync(EtlProcess worker, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(worker);
        Uri? endpoint = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(
            async () =>
            {
                Assert.False(worker.HasExited, $"The worker exited early.\nstdout:\n{string.Join('\n', worker.OutputLines)}\nstderr:\n{worker.ErrorText}");
                endpoint ??= worker.OutputLines.Where(l => l.StartsWith("endpoint: ", StringComparison.Ordinal)).Select(l => new Uri(l["endpoint: ".Length..])).FirstOrDefault();
                if (endpoint is null)
                {
                    return false;
                }

                try
                {
                    using var response = await http.GetAsync(new Uri(endpoint, "health/ready"));
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            timeout,
            "the worker to become ready");
        return endpoint!;
    }

    /// <summary>SIGTERM, as docker stop or systemd would send.</summary>
    public static async Task TerminateAsync(EtlProcess worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Leftovers of a failed test must not hold locks other tests wait on.
            foreach (var gid in await PreparedAsync(CancellationToken.None))
            {
                await ExecuteAsync(Postgres, $"ROLLBACK PREPARED '{gid}'", CancellationToken.None);
            }

            await ExecuteAsync(Postgres, $"DROP SCHEMA IF EXISTS {Schema} CASCADE", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The test's own PostgreSQL may be gone already.
        }

        if (Directory.Exists(_checkpoints))
        {
            Directory.Delete(_checkpoints, recursive: true);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
