using System.Diagnostics;
using System.Globalization;
using Etl.Connectors.Postgres;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Etl.Bench;

/// <summary>
/// The PostgreSQL sink against a bare binary COPY: the same 1,000,000 rows (a) through the sink, one 2PC
/// epoch per 100,000 rows, in insert and in upsert mode, and (b) COPY in plain transactions of 100,000
/// rows. The keys are new (the table is emptied before each run), the common case for window results;
/// one more upsert run finds every key already in the table (filled by an untimed COPY first), the worst
/// case of the COPY-first upsert. Each variant runs <c>rounds</c> times, alternating; the best run of each counts.
/// </summary>
internal sealed class SinkBenchmark : IBenchmark
{
    private const string Table = "bench_sink.results";

    public string Name => "sink";

    public string Description => "PostgreSQL 2PC sink (insert, upsert) vs bare binary COPY; needs ETL_POSTGRES";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var connectionString = Environment.GetEnvironmentVariable("ETL_POSTGRES");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("Set ETL_POSTGRES to an Npgsql connection string (etl dev up writes it to .local/services.env).");
            return 2;
        }

        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var perEpoch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var rows = Enumerable.Range(0, total)
            .Select(i => new SinkBenchRow(i, $"key-{i % 10_000}", 1_700_000_000_000L + (i / 1000 * 60_000L), i * 0.5))
            .ToArray();
        await ExecuteAsync(connectionString, $"""
            DROP SCHEMA IF EXISTS bench_sink CASCADE; CREATE SCHEMA bench_sink;
            CREATE TABLE {Table} (id bigint PRIMARY KEY, key text NOT NULL, window_end bigint NOT NULL, value double precision NOT NULL);
            """, cancellationToken);

        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        var existing = rows.Select(r => r with { Value = -r.Value }).ToArray();
        var variants = new (string Name, bool Prefill, Func<Task> Run)[]
        {
            ("bare COPY", false, () => BareCopyAsync(connectionString, rows, perEpoch, cancellationToken)),
            ("sink insert", false, () => SinkAsync(connectionString, rows, perEpoch, PostgresWriteMode.Insert, cancellationToken)),
            ("sink upsert", false, () => SinkAsync(connectionString, rows, perEpoch, PostgresWriteMode.Upsert, cancellationToken)),
            ("sink upsert existing", true, () => SinkAsync(connectionString, rows, perEpoch, PostgresWriteMode.Upsert, cancellationToken)),
        };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, prefill, run) in variants)
            {
                // Checkpoint ids restart at 1 in every run, so the commit markers of the previous run must go.
                await ExecuteAsync(connectionString, $"TRUNCATE {Table}; DROP TABLE IF EXISTS bench_sink.sink_commits", cancellationToken);
                if (prefill)
                {
                    await BareCopyAsync(connectionString, existing, perEpoch, cancellationToken);
                    await ExecuteAsync(connectionString, $"VACUUM ANALYZE {Table}", cancellationToken);
                }

                await ExecuteAsync(connectionString, "CHECKPOINT", cancellationToken);
                var clock = Stopwatch.StartNew();
                await run();
                var rate = total / clock.Elapsed.TotalSeconds;
                best[name] = Math.Max(best.GetValueOrDefault(name), rate);
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1} {name,-20} {total:N0} rows in {clock.Elapsed.TotalSeconds:F2} s = {rate:N0} rows/s"));
            }
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            best of {rounds}: bare COPY {best["bare COPY"]:N0} rows/s, sink insert {best["sink insert"]:N0} rows/s, sink upsert {best["sink upsert"]:N0} rows/s, sink upsert existing {best["sink upsert existing"]:N0} rows/s
            sink insert / bare COPY = {best["sink insert"] / best["bare COPY"]:F3} (target >= 0.6)
            sink upsert (new keys) / bare COPY = {best["sink upsert"] / best["bare COPY"]:F3} (target >= 0.35)
            sink upsert (all keys exist) / bare COPY = {best["sink upsert existing"] / best["bare COPY"]:F3}
            """));
        await ExecuteAsync(connectionString, "DROP SCHEMA bench_sink CASCADE", cancellationToken);
        return 0;
    }

    private static async Task BareCopyAsync(string connectionString, SinkBenchRow[] rows, int perTransaction, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        for (var start = 0; start < rows.Length; start += perTransaction)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var importer = await connection.BeginBinaryImportAsync(
                $"COPY {Table} (id, key, window_end, value) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                for (var i = start; i < Math.Min(start + perTransaction, rows.Length); i++)
                {
                    var row = rows[i];
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(row.Id, NpgsqlDbType.Bigint, cancellationToken);
                    await importer.WriteAsync(row.Key, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.WindowEnd, NpgsqlDbType.Bigint, cancellationToken);
                    await importer.WriteAsync(row.Value, NpgsqlDbType.Double, cancellationToken);
                }

                await importer.CompleteAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task SinkAsync(
        string connectionString, SinkBenchRow[] rows, int perEpoch, PostgresWriteMode mode, CancellationToken cancellationToken)
    {
        var options = new PostgresSinkOptions<SinkBenchRow>(connectionString, "bench", $"sink-{mode}", new PostgresTableMapping<SinkBenchRow>(
            Table,
            [
                PostgresColumn.Of<SinkBenchRow, long>("id", NpgsqlDbType.Bigint, r => r.Id),
                PostgresColumn.Of<SinkBenchRow, string>("key", NpgsqlDbType.Text, r => r.Key),
                PostgresColumn.Of<SinkBenchRow, long>("window_end", NpgsqlDbType.Bigint, r => r.WindowEnd),
                PostgresColumn.Of<SinkBenchRow, double>("value", NpgsqlDbType.Double, r => r.Value),
            ],
            mode,
            ["id"]))
        {
            Schema = "bench_sink",
        };
        var context = new OperatorContext("bench", options.SinkUid, 0, 1, KeyGroups.DefaultMaxParallelism, null,
            TimeProvider.System, NullLoggerFactory.Instance);
        await using var sink = PostgresSink.Create(options);
        await sink.OpenAsync(context, cancellationToken);
        var checkpoint = new CheckpointId(0);
        for (var i = 0; i < rows.Length; i++)
        {
            await sink.WriteAsync(new StreamRecord<SinkBenchRow>(rows[i], rows[i].WindowEnd), cancellationToken);
            if ((i + 1) % perEpoch == 0 || i == rows.Length - 1)
            {
                checkpoint = checkpoint.Next();
                await sink.SnapshotStateAsync(checkpoint, cancellationToken);
                await sink.NotifyCheckpointCompleteAsync(checkpoint, cancellationToken);
            }
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
