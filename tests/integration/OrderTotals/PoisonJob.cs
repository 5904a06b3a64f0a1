using System.Globalization;
using Confluent.Kafka;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Integration.Kafka;
using Npgsql;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// An order-total job over hand-made records: a fresh one-partition topic (so one record moves the watermark), a
/// fresh schema and job, 10 s tumbling windows, and no restarts (a record that fails an epoch fails the run at once
/// instead of crash-looping until the deadline).
/// </summary>
internal sealed class PoisonJob : IAsyncDisposable
{
    private readonly string _checkpoints;

    private PoisonJob(string topic, string schema)
    {
        Topic = topic;
        Schema = schema;
        JobName = "job-" + Guid.NewGuid().ToString("N")[..12];
        _checkpoints = Path.Combine(Path.GetTempPath(), "etl-it-" + JobName);
    }

    public string Topic { get; }

    public string Schema { get; }

    public string JobName { get; }

    public string Table => $"{Schema}.order_totals";

    private static string Postgres => TestServices.PostgresConnectionString;

    public static async Task<PoisonJob> CreateAsync(CancellationToken cancellationToken)
    {
        var topic = await TestTopics.CreateAsync(1, cancellationToken, "poison");
        var schema = "po_" + Guid.NewGuid().ToString("N")[..12];
        var job = new PoisonJob(topic, schema);
        await ExecuteAsync($"CREATE SCHEMA {schema}", cancellationToken);
        return job;
    }

    public async Task ProduceAsync(IEnumerable<PoisonRecord> records, CancellationToken cancellationToken)
    {
        using var producer = KafkaSourceTestKit.Producer();
        foreach (var record in records)
        {
            var message = new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value };
            if (record.KafkaTimestamp is { } timestamp)
            {
                message.Timestamp = new Timestamp(timestamp, TimestampType.CreateTime);
            }

            await producer.ProduceAsync(new TopicPartition(Topic, 0), message, cancellationToken);
        }
    }

    /// <summary>A bounded run (<c>--stop-at-end</c>) with the given extra settings; returns the exit code and the output.</summary>
    public async Task<(int? Exit, string Output)> RunToEndAsync(TimeSpan timeout, params (string Key, string Value)[] settings)
    {
        await using var worker = Start(["run", "--stop-at-end"], settings);
        var exit = await worker.WaitForExitAsync(timeout);
        return (exit, worker.Describe());
    }

    /// <summary>Starts <c>etl ARGUMENTS</c> with the job's settings and the given extra ones.</summary>
    public EtlProcess Start(string[] arguments, params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["Etl__JobName"] = JobName,
            ["Etl__Parallelism"] = "1",
            ["Etl__Kafka__BootstrapServers"] = TestServices.KafkaBootstrapServers,
            ["Etl__Kafka__Topic"] = Topic,
            ["Etl__Postgres__ConnectionString"] = Postgres,
            ["Etl__Postgres__Table"] = Table,
            ["Etl__Postgres__SinkSchema"] = Schema,
            ["Etl__Window__Kind"] = "tumbling",
            ["Etl__Window__Size"] = "10s",
            ["Etl__Window__OutOfOrderness"] = "2s",
            ["Etl__Checkpoints__Directory"] = _checkpoints,
            ["Etl__Checkpoints__Interval"] = "300ms",
            ["Etl__Restart__Strategy"] = "none",
            ["Etl__Http__Port"] = "0",
            ["ETL_FAULT"] = "",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return EtlProcess.Start(arguments, environment);
    }

    public async Task<IReadOnlyList<(string Customer, long WindowStart, decimal Total, long Count)>> TotalsAsync(CancellationToken cancellationToken)
    {
        var rows = new List<(string, long, decimal, long)>();
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT customer_id, window_start, total, order_count FROM {Table} ORDER BY customer_id, window_start", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var start = new DateTimeOffset(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(1), DateTimeKind.Utc)).ToUnixTimeMilliseconds();
            rows.Add((reader.GetString(0), start, reader.GetDecimal(2), reader.GetInt64(3)));
        }

        return rows;
    }

    /// <summary>The job's dead letters: source offset (null for late records), reason, error.</summary>
    public async Task<IReadOnlyList<(long? Offset, string Reason, string Error)>> DeadLettersAsync(CancellationToken cancellationToken)
    {
        var rows = new List<(long?, string, string)>();
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT source_offset, reason, error FROM {Schema}.dead_letters WHERE job = @job ORDER BY source_offset, id", connection);
        command.Parameters.AddWithValue("job", JobName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    public static async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var gid in await Etl.Samples.OrderTotals.Demo.OrderTotalsReader.PreparedTransactionsAsync(Postgres, JobName, CancellationToken.None))
            {
                await ExecuteAsync($"ROLLBACK PREPARED '{gid}'", CancellationToken.None);
            }

            await ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // Best effort: a failed test's leftovers must not hide its own failure.
        }

        if (Directory.Exists(_checkpoints))
        {
            Directory.Delete(_checkpoints, recursive: true);
        }
    }
}
