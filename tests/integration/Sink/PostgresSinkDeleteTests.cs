using Etl.Tests.Integration.Infrastructure;
using Npgsql;

namespace Etl.Tests.Integration.Sink;

/// <summary>
/// Upsert mode with <c>PostgresTableMapping.Deletes</c>: a record flagged as a delete removes its key, in stream
/// order with the upserts of the same key, directly and through the staging table (issue 13, scenario 14).
/// </summary>
public sealed class PostgresSinkDeleteTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sink_UpsertsAndDeletesOfTheSameKeys_EndAsIfAppliedOneByOne(bool staged)
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var options = db.Options(batchSize: 3) with { LockTimeout = TimeSpan.FromSeconds(5) };
        options = options with { Table = options.Table with { Deletes = r => r.Value < 0 } };
        var epoch1 = SinkDriver.Rows(1, 10, 1).ToList();
        ResultRow[] epoch2 =
        [
            Delete(2), new(2, 5),               // deleted and written again in one batch
            new(3, 7), Delete(3),               // written and deleted in one batch
            Delete(4), Delete(99),              // a key of epoch 1; a key that never existed
            new(11, 1), new(12, 1), new(13, 1),
            Delete(11), Delete(5), new(14, 1),  // deletes in a later batch than their upsert
            new(15, 1), new(16, 1), new(5, 9),  // written again in a later batch than its delete
            Delete(6),
        ];
        await using (var sink = await SinkDriver.OpenAsync(options))
        {
            await sink.WriteAsync(epoch1);
            await sink.BarrierAsync(1);
            if (!staged)
            {
                await sink.CompleteAsync(1);
            }

            // With checkpoint 1 pending, epoch 2 is staged and moved after both commit.
            await sink.WriteAsync(epoch2);
            await sink.BarrierAsync(2);
            await sink.CompleteAsync(2);
        }

        var expected = new SortedDictionary<long, long>();
        foreach (var row in epoch1.Concat(epoch2))
        {
            if (row.Value < 0)
            {
                expected.Remove(row.Id);
            }
            else
            {
                expected[row.Id] = row.Value;
            }
        }

        Assert.Equal(expected, await ContentsAsync(db));
        Assert.Equal(0L, await db.StagedCountAsync());
        await db.AssertCleanAsync();
    }

    private static ResultRow Delete(long id) => new(id, -1);

    private static async Task<SortedDictionary<long, long>> ContentsAsync(SinkTestSchema db)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT id, value FROM {db.Table}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new SortedDictionary<long, long>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetInt64(0), reader.GetInt64(1));
        }

        return rows;
    }
}
