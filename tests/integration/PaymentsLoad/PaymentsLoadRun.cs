using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Integration.Kafka;
using Npgsql;

namespace Etl.Tests.Integration.PaymentsLoad;

/// <summary>
/// One payments load under test: a fresh topic (4 partitions), a fresh schema holding the payments table and the sink's
/// tables, a fresh job name and checkpoint directory, a seeded payment stream, and workers started as separate processes
/// (<c>dotnet payments-load.dll run</c>).
/// </summary>
internal sealed class PaymentsLoadRun : IAsyncDisposable
{
    private PaymentsLoadRun(string topic, string schema, IReadOnlyList<GeneratedPayment> records)
    {
        Topic = topic;
        Schema = schema;
        Records = records;
        JobName = "payments-" + Guid.NewGuid().ToString("N")[..12];
        CheckpointDirectory = Path.Combine(Path.GetTempPath(), "etl-it-" + JobName);
    }

    public string Topic { get; }

    public string Schema { get; }

    public string JobName { get; }

    public string CheckpointDirectory { get; }

    public IReadOnlyList<GeneratedPayment> Records { get; }

    private static string Postgres => TestServices.PostgresConnectionString;

    public static async Task<PaymentsLoadRun> CreateAsync(int count, int seed, CancellationToken cancellationToken)
    {
        var topic = await TestTopics.CreateAsync(4, cancellationToken, "payments");
        var schema = "pl_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE SCHEMA {schema}", cancellationToken);
        return new PaymentsLoadRun(topic, schema, PaymentStream.Generate(count, seed));
    }

    /// <summary>A worker of the sample with this run's settings (environment variables, as a deployment would set them).</summary>
    /// <param name="fault">ETL_FAULT, for example <c>after-prepare:2</c>: the worker kills itself with SIGKILL there.</param>
    public EtlProcess StartWorker(string? fault = null, params string[] arguments) => EtlProcess.StartProgram(
        RepoPaths.PaymentsLoadDll,
        ["run", .. arguments],
        new Dictionary<string, string>
        {
            ["Etl__JobName"] = JobName,
            ["Etl__Parallelism"] = "2",
            ["Etl__Kafka__BootstrapServers"] = TestServices.KafkaBootstrapServers,
            ["Etl__Kafka__Topic"] = Topic,
            ["Etl__Postgres__ConnectionString"] = Postgres,
            ["Etl__Postgres__Table"] = $"{Schema}.payments",
            ["Etl__Postgres__SinkSchema"] = Schema,
            ["Etl__Checkpoints__Directory"] = CheckpointDirectory,
            ["Etl__Checkpoints__Interval"] = "300ms",
            ["Etl__Restart__Strategy"] = "fixed-delay",
            ["Etl__Restart__Attempts"] = "1000",
            ["Etl__Restart__Delay"] = "200ms",
            ["Etl__Http__Port"] = "0",
            ["ETL_FAULT"] = fault ?? "",
        });

    /// <summary>Produces everything in <paramref name="chunks"/> chunks with pauses, so that production overlaps the workers' lives.</summary>
    public async Task ProduceSlowlyAsync(int chunks, TimeSpan pause, CancellationToken cancellationToken)
    {
        var size = (Records.Count + chunks - 1) / chunks;
        for (var start = 0; start < Records.Count; start += size)
        {
            await Task.Run(() => Produce(Records.Skip(start).Take(size), cancellationToken), cancellationToken);
            await Task.Delay(pause, cancellationToken);
        }
    }

    /// <summary>A bounded run (<c>--stop-at-end</c>) over the backlog; asserts it finishes cleanly.</summary>
    public async Task RunToEndAsync(TimeSpan timeout)
    {
        await using var worker = StartWorker(null, "--stop-at-end");
        var exit = await worker.WaitForExitAsync(timeout);
        Assert.True(exit == 0, $"The bounded run exited with {exit}.\n{worker.Describe()}");
        Assert.Contains(worker.OutputLines, l => l.StartsWith("finished: checkpoint", StringComparison.Ordinal));
    }

    /// <summary>
    /// Every loaded payment is one row with the expected values, nothing else is in the table, every malformed record is
    /// one dead letter of this job with reason <c>validation</c>, and no prepared transaction of the job is left.
    /// </summary>
    public async Task AssertExactlyOnceAsync(CancellationToken cancellationToken)
    {
        var expectedRows = Records.Where(r => r.Fate == PaymentFate.Loaded).Select(r => r.Row).Order(StringComparer.Ordinal).ToList();
        var rows = await ReadAsync($"SELECT payment_id || ' ' || account || ' ' || amount_minor || ' ' || currency FROM {Schema}.payments", cancellationToken);
        Assert.True(expectedRows.Count > 1_000, $"only {expectedRows.Count} loaded payments: the stream is too small to mean anything");
        AssertSameMultiset("rows", expectedRows, rows);

        var expectedDeadLetters = Records.Where(r => r.Fate == PaymentFate.Malformed).Select(r => r.Json).Order(StringComparer.Ordinal).ToList();
        var deadLetters = await ReadAsync(
            $"SELECT convert_from(raw_value, 'UTF8') FROM {Schema}.dead_letters WHERE job = '{JobName}' AND reason = 'validation'", cancellationToken);
        AssertSameMultiset("dead letters", expectedDeadLetters, deadLetters);
        Assert.Empty(await ReadAsync($"SELECT reason || ': ' || error FROM {Schema}.dead_letters WHERE job = '{JobName}' AND reason <> 'validation'", cancellationToken));
        Assert.Empty(await PreparedAsync(cancellationToken));
    }

    /// <summary>The job's prepared (not yet committed) transactions.</summary>
    public Task<IReadOnlyList<string>> PreparedAsync(CancellationToken cancellationToken) =>
        ReadAsync($"SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'etl:{JobName}:%'", cancellationToken);

    public async Task<int> RowCountAsync(CancellationToken cancellationToken) =>
        (await ReadAsync($"SELECT payment_id FROM {Schema}.payments", cancellationToken)).Count;

    public async ValueTask DisposeAsync()
    {
        // Leftovers of a failed test must not hold locks other tests wait on.
        foreach (var gid in await PreparedAsync(CancellationToken.None))
        {
            await ExecuteAsync($"ROLLBACK PREPARED '{gid}'", CancellationToken.None);
        }

        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE", CancellationToken.None);
        if (Directory.Exists(CheckpointDirectory))
        {
            Directory.Delete(CheckpointDirectory, recursive: true);
        }
    }

    /// <summary>Equal as multisets, with the first differences in the message (a duplicate shows as an extra item).</summary>
    private static void AssertSameMultiset(string what, List<string> expected, IReadOnlyList<string> actual)
    {
        var missing = expected.GroupBy(x => x).SelectMany(g => Enumerable.Repeat(g.Key, Math.Max(0, g.Count() - actual.Count(a => a == g.Key)))).ToList();
        var extra = actual.GroupBy(x => x).SelectMany(g => Enumerable.Repeat(g.Key, Math.Max(0, g.Count() - expected.Count(e => e == g.Key)))).ToList();
        Assert.True(
            missing.Count == 0 && extra.Count == 0,
            $"{what}: expected {expected.Count}, found {actual.Count}; {missing.Count} missing (first: {string.Join(" | ", missing.Take(5))}), " +
            $"{extra.Count} extra or duplicated (first: {string.Join(" | ", extra.Take(5))})");
    }

    private void Produce(IEnumerable<GeneratedPayment> records, CancellationToken cancellationToken)
    {
        using var producer = KafkaSourceTestKit.Producer();
        Error? failure = null;
        foreach (var record in records)
        {
            // Keyed by account: the default partitioner spreads the records over the four partitions.
            var message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(record.Key), Value = Encoding.UTF8.GetBytes(record.Json) };
            producer.Produce(Topic, message, report => failure ??= report.Error.IsError ? report.Error : null);
        }

        producer.Flush(cancellationToken);
        Assert.True(failure is null, $"a payment was not delivered: {failure}");
    }

    private static async Task<IReadOnlyList<string>> ReadAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    private static async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
