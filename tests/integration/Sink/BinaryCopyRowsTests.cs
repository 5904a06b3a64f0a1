using System.Text;
using Dapper;
using Etl.Connectors.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Etl.Tests.Integration.Sink;

/// <summary>
/// The column types the sink encodes itself (text, bigint, integer, numeric, timestamptz) must reach PostgreSQL exactly as
/// Npgsql's importer sends them: the same rows written both ways into two tables read back the same, value for value
/// (numeric with its scale), over seeded random values and the edges of each type. Other types still go through Npgsql.
/// </summary>
public sealed class BinaryCopyRowsTests
{
    private const string Columns = "id, t, b, i, n, ts";

    private static readonly PostgresColumn<Row>[] Encoded =
    [
        PostgresColumn.Of<Row, int>("id", NpgsqlDbType.Integer, r => r.Id),
        PostgresColumn.Of<Row, string?>("t", NpgsqlDbType.Text, r => r.T),
        PostgresColumn.Of<Row, long>("b", NpgsqlDbType.Bigint, r => r.B),
        PostgresColumn.Of<Row, int>("i", NpgsqlDbType.Integer, r => r.I),
        PostgresColumn.Of<Row, decimal>("n", NpgsqlDbType.Numeric, r => r.N),
        PostgresColumn.Of<Row, DateTime>("ts", NpgsqlDbType.TimestampTz, r => r.Ts),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task EncodedRows_ReadBackAsNpgsqlsImporterRows(int seed)
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        await using var connection = new NpgsqlConnection(Infrastructure.TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "by_npgsql", "by_sink" })
        {
            await connection.ExecuteAsync($"CREATE TABLE {db.Name}.{table} (id integer, t text, b bigint, i integer, n numeric, ts timestamptz)");
        }

        var rows = Rows(seed).ToList();
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {db.Name}.by_npgsql ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync();
                foreach (var column in Encoded)
                {
                    await column.WriteAsync(importer, row, CancellationToken.None);
                }
            }

            await importer.CompleteAsync();
        }

        using var encoded = new BinaryCopyRows();
        foreach (var row in rows)
        {
            encoded.StartRow((short)Encoded.Length);
            foreach (var column in Encoded)
            {
                column.Encoder!(encoded, row);
            }
        }

        encoded.End();
        await using (var copy = await connection.BeginRawBinaryCopyAsync($"COPY {db.Name}.by_sink ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            await copy.WriteAsync(encoded.Written);
        }

        var select = $"SELECT id, t, b, i, n::text AS n, ts::text AS ts FROM {db.Name}.{{0}} ORDER BY id";
        var expected = (await connection.QueryAsync<(int, string?, long, int, string, string)>(string.Format(select, "by_npgsql"))).ToList();
        var actual = (await connection.QueryAsync<(int, string?, long, int, string, string)>(string.Format(select, "by_sink"))).ToList();
        Assert.Equal(rows.Count, expected.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Encoder_RefusesWhatNpgsqlRefuses_ALoneSurrogateAndANonUtcTime()
    {
        using var rows = new BinaryCopyRows();
        Assert.Throws<EncoderFallbackException>(() => Encoded[1].Encoder!(rows, new Row(1, "a\ud800b", 0, 0, 0, DateTime.UnixEpoch)));
        var local = Assert.Throws<ArgumentException>(() => Encoded[5].Encoder!(rows, new Row(1, "", 0, 0, 0, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Local))));
        Assert.Contains("only UTC", local.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Encoded[5].Encoder!(rows, new Row(1, "", 0, 0, 0, new DateTime(2026, 1, 1))));
    }

    [Fact]
    public void ColumnsOfOtherTypes_HaveNoEncoder_AndGoThroughNpgsql()
    {
        Assert.Null(PostgresColumn.Of<Row, bool>("flag", NpgsqlDbType.Boolean, r => r.I > 0).Encoder);
        Assert.Null(PostgresColumn.Of<Row, long?>("b", NpgsqlDbType.Bigint, r => r.B).Encoder);
        Assert.Null(PostgresColumn.Of<Row, DateTimeOffset>("ts", NpgsqlDbType.TimestampTz, r => r.Ts).Encoder);
        Assert.Null(PostgresColumn.Of<Row, decimal>("n", NpgsqlDbType.Double, r => r.N).Encoder);
    }

    [Fact]
    public async Task Sink_TableWithAColumnItDoesNotEncode_WritesEveryRowThroughNpgsqlsImporter()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        using var paths = new UpsertPathProbe(db.Job);
        var options = db.Options(PostgresWriteMode.Upsert, batchSize: 10) with
        {
            Table = new PostgresTableMapping<ResultRow>(
                db.Table,
                [
                    PostgresColumn.Of<ResultRow, long>("id", NpgsqlDbType.Bigint, r => r.Id),
                    PostgresColumn.Of<ResultRow, long?>("value", NpgsqlDbType.Bigint, r => r.Value),
                ],
                PostgresWriteMode.Upsert,
                ["id"]),
        };
        Assert.Null(options.Table.Columns[1].Encoder);
        var rows = SinkDriver.Rows(1, 25, 1).ToList();
        await using (var sink = await SinkDriver.OpenAsync(options))
        {
            await sink.WriteAsync(rows);
            await sink.BarrierAsync(1);
            await sink.CompleteAsync(1);
        }

        Assert.Equal(rows.OrderBy(r => r.Id), (await db.RowsAsync()).OrderBy(r => r.Id));
        Assert.Equal(25L, paths.Copied);
        await db.AssertCleanAsync();
    }

    private static IEnumerable<Row> Rows(int seed)
    {
        var random = new Random(seed);
        decimal[] numbers =
        [
            0m, -0m, 0.0000m, 1m, -1m, 0.0001m, 0.00001m, 1e-28m, -1e-28m, 100.00m, 10000m, 10000.0000m, 9999.9999m,
            123456789.123456789m, -987654321.000000001m, decimal.MaxValue, decimal.MinValue, 7.9228162514264337593543950335m,
            0.5m, 12.30m, 1000000000000000000000000000m,
        ];
        DateTime[] times =
        [
            DateTime.MinValue, DateTime.MaxValue, DateTime.UnixEpoch, new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            new(1999, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc), new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1),
            new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc).AddTicks(7), new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999),
        ];
        string?[] texts = [null, "", "a", "ünïcødé ✓", "𝄞 outside the BMP", "tab\tnew\nline\\back", new string('x', 70_000)];
        string[] pool = ["a", "b", "c", "X", "Z", "0", "9", " ", "-", ".", ",", "'", "\"", "\\", "\t", "\n", "é", "€", "✓", "𝄞"];
        var id = 0;
        foreach (var n in numbers)
        {
            yield return new Row(id++, texts[id % texts.Length], long.MinValue + id, int.MaxValue - id, n, times[id % times.Length]);
        }

        foreach (var t in times)
        {
            yield return new Row(id++, texts[id % texts.Length], long.MaxValue - id, int.MinValue + id, numbers[id % numbers.Length], t);
        }

        for (var k = 0; k < 2_000; k++)
        {
            var scale = (byte)random.Next(0, 29);
            var n = new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, scale);
            var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => pool[random.Next(pool.Length)]));
            yield return new Row(id++, random.Next(20) == 0 ? null : text, random.NextInt64(long.MinValue, long.MaxValue), random.Next(int.MinValue, int.MaxValue), n, new DateTime(ticks, DateTimeKind.Utc));
        }
    }

    private sealed record Row(int Id, string? T, long B, int I, decimal N, DateTime Ts);
}
