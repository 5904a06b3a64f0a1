using Etl.Connectors.Postgres;
using Npgsql;

namespace Etl.Tests.Integration.Sink;

public sealed class PostgresSinkWriteModeTests
{
    [Theory]
    [InlineData(PostgresWriteMode.Upsert)]
    [InlineData(PostgresWriteMode.Replace)]
    public async Task Sink_KeyedModes_KeepTheLastRowPerKey_WithinAndAcrossBatchesAndEpochs(PostgresWriteMode mode)
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var epoch1 = SinkDriver.Rows(1, 25, 1).Concat([new ResultRow(30, 1), new ResultRow(30, 2)]).Concat(SinkDriver.Rows(1, 5, 7)).ToList();
        var epoch2 = SinkDriver.Rows(20, 16, 3).Concat([new ResultRow(2, 9)]).ToList();
        await using (var sink = await SinkDriver.OpenAsync(db.Options(mode, batchSize: 10)))
        {
            await sink.WriteAsync(epoch1);
            await sink.BarrierAsync(1);
            await sink.CompleteAsync(1);
            await sink.WriteAsync(epoch2);
            await sink.BarrierAsync(2);
            await sink.CompleteAsync(2);
        }

        var expected = new Dictionary<long, long>();
        foreach (var row in epoch1.Concat(epoch2))
        {
            expected[row.Id] = row.Value;
        }

        Assert.Equal(expected.OrderBy(e => e.Key), await ContentsAsync(db));
        await db.AssertCleanAsync();
    }

    [Theory]
    [InlineData(PostgresWriteMode.Upsert)]
    [InlineData(PostgresWriteMode.Replace)]
    public async Task Sink_StagedEpoch_MovesIntoTheTargetAfterTheEarlierEpoch(PostgresWriteMode mode)
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var options = db.Options(mode, batchSize: 10) with { LockTimeout = TimeSpan.FromSeconds(2) };
        const int overlap = 10;
        await using (var sink = await SinkDriver.OpenAsync(options))
        {
            await sink.WriteAsync(SinkDriver.Rows(1, 20, 1));
            await sink.BarrierAsync(1);
            await sink.WriteAsync([.. SinkDriver.Rows(21 - overlap, 20, 2), new ResultRow(40, 5)]);
            await sink.BarrierAsync(2);
            await sink.CompleteAsync(2);
        }

        var expected = new Dictionary<long, long>();
        foreach (var row in SinkDriver.Rows(1, 20, 1).Concat(SinkDriver.Rows(21 - overlap, 20, 2)).Append(new ResultRow(40, 5)))
        {
            expected[row.Id] = row.Value;
        }

        Assert.Equal(expected.OrderBy(e => e.Key), await ContentsAsync(db));
        Assert.Equal(0L, await db.StagedCountAsync());
        await db.AssertCleanAsync();
    }

    private static async Task<List<KeyValuePair<long, long>>> ContentsAsync(SinkTestSchema db)
    {
        await using var connection = new NpgsqlConnection(SinkDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT id, value FROM {db.Table} ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<KeyValuePair<long, long>>();
        while (await reader.ReadAsync())
        {
            rows.Add(new(reader.GetInt64(0), reader.GetInt64(1)));
        }

        return rows;
    }
}
