using Etl.Connectors.Postgres;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Sink;

public sealed class PostgresSinkWriteModeTests
{
    [Theory]
    [InlineData(PostgresWriteMode.Upsert)]
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

        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => new ResultRow(e.Key, e.Value)), await db.RowsAsync());
        await db.AssertCleanAsync();
    }

    [Theory]
    [InlineData(PostgresWriteMode.Upsert)]
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

        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => new ResultRow(e.Key, e.Value)), await db.RowsAsync());
        Assert.Equal(0L, await db.StagedCountAsync());
        await db.AssertCleanAsync();
    }

    [Theory]
    [InlineData(PostgresWriteMode.Upsert)]
    public async Task Sink_CompositeKey_KeepsTheLastRowPerKey(PostgresWriteMode mode)
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        await db.ExecuteAsync($"CREATE TABLE {db.Name}.windows (k text, window_end bigint, total bigint, PRIMARY KEY (k, window_end))");
        var options = new PostgresSinkOptions<(string K, long End, long Total)>(
            TestServices.PostgresConnectionString, db.Job, "windows", new PostgresTableMapping<(string K, long End, long Total)>(
                $"{db.Name}.windows",
                [
                    PostgresColumn.Of<(string K, long End, long Total), string>("k", NpgsqlTypes.NpgsqlDbType.Text, r => r.K),
                    PostgresColumn.Of<(string K, long End, long Total), long>("window_end", NpgsqlTypes.NpgsqlDbType.Bigint, r => r.End),
                    PostgresColumn.Of<(string K, long End, long Total), long>("total", NpgsqlTypes.NpgsqlDbType.Bigint, r => r.Total),
                ],
                mode,
                ["k", "window_end"]))
        { Schema = db.Name, BatchSize = 4 };
        var context = new Etl.Pipeline.OperatorContext(db.Job, "windows", 0, 1, 128, null, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var rows = new[] { ("a", 10L, 1L), ("a", 20L, 1L), ("b", 10L, 1L), ("a", 10L, 2L), ("a", 10L, 3L), ("b", 20L, 1L) };
        await using (var sink = PostgresSink.Create(options))
        {
            await sink.OpenAsync(context, CancellationToken.None);
            foreach (var row in rows)
            {
                await sink.WriteAsync(new Etl.Pipeline.StreamRecord<(string, long, long)>(row, 0), CancellationToken.None);
            }

            await sink.SnapshotStateAsync(new Etl.Pipeline.CheckpointId(1), CancellationToken.None);
            await sink.NotifyCheckpointCompleteAsync(new Etl.Pipeline.CheckpointId(1), CancellationToken.None);
        }

        Assert.Equal(
            "a/10=3 a/20=1 b/10=1 b/20=1",
            await db.ScalarAsync($"SELECT string_agg(k || '/' || window_end || '=' || total, ' ' ORDER BY k, window_end) FROM {db.Name}.windows"));
        await db.AssertCleanAsync();
    }
}
