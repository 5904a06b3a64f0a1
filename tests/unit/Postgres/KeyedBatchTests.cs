using Etl.Connectors.Postgres;
using NpgsqlTypes;

namespace Etl.Tests.Unit.Postgres;

public class KeyedBatchTests
{
    private sealed record Row(string Customer, DateTime WindowStart, decimal Total);

    private static readonly DateTime W0 = new(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc);

    private static KeyedBatch<Row> Batch(params string[] keys) => new(new PostgresTableMapping<Row>(
        "t",
        [
            PostgresColumn.Of<Row, string>("customer_id", NpgsqlDbType.Text, r => r.Customer),
            PostgresColumn.Of<Row, DateTime>("window_start", NpgsqlDbType.TimestampTz, r => r.WindowStart),
            PostgresColumn.Of<Row, decimal>("total", NpgsqlDbType.Numeric, r => r.Total),
        ],
        PostgresWriteMode.Upsert,
        keys));

    [Fact]
    public void LastPerKey_CompositeKey_KeepsTheLastRowOfEachKeyInOrder()
    {
        Row[] rows =
        [
            new("a", W0, 1m), new("b", W0, 2m), new("a", W0.AddSeconds(10), 3m), new("a", W0, 4m), new("b", W0, 5m), new("c", W0, 6m),
        ];

        var kept = Batch("customer_id", "window_start").LastPerKey(rows);

        Assert.Equal([rows[2], rows[3], rows[4], rows[5]], kept);
    }

    [Fact]
    public void LastPerKey_EveryKeyOnce_ReturnsTheBatchItself()
    {
        Row[] rows = [new("a", W0, 1m), new("a", W0.AddSeconds(10), 2m), new("b", W0, 3m)];

        Assert.Same(rows, Batch("customer_id", "window_start").LastPerKey(rows));
    }

    [Fact]
    public void LastPerKey_SingleColumnKey_KeepsTheLastRowOfEachValue()
    {
        Row[] rows = [new("a", W0, 1m), new("b", W0, 2m), new("a", W0.AddSeconds(10), 3m)];

        Assert.Equal([rows[1], rows[2]], Batch("customer_id").LastPerKey(rows));
    }

    // Seeded batches with keys repeated up to many times, against the plain definition: a row is kept when no later row
    // of the batch has its key; the same batch instance serves every batch, as in the writer.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LastPerKey_RandomBatchesWithRepeatedKeys_KeepExactlyTheLastRowOfEachKey(int seed)
    {
        var random = new Random(seed);
        var batch = Batch("customer_id", "window_start");
        for (var round = 0; round < 50; round++)
        {
            var rows = Enumerable.Range(0, random.Next(0, 300))
                .Select(i => new Row($"c{random.Next(20)}", W0.AddSeconds(10 * random.Next(3)), i))
                .ToArray();
            var expected = rows.Where((r, i) => !rows.Skip(i + 1).Any(later => later.Customer == r.Customer && later.WindowStart == r.WindowStart));

            Assert.Equal(expected, batch.LastPerKey(rows));
        }
    }
}
