using Etl.Connectors.Postgres;
using Npgsql;

namespace Etl.Tests.Integration.Sink;

/// <summary>Upsert mode writes each batch by COPY inside a savepoint and upserts it only when a key exists already.</summary>
public sealed class PostgresSinkCopyFirstUpsertTests
{
    [Fact]
    public async Task Sink_UpsertOfNewKeys_CopiesEveryBatchWithoutFallback()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        using var paths = new UpsertPathProbe(db.Job);
        var rows = SinkDriver.Rows(1, 25, 1).ToList();
        await using (var sink = await SinkDriver.OpenAsync(db.Options(PostgresWriteMode.Upsert, batchSize: 10)))
        {
            await sink.WriteAsync(rows);
            await sink.BarrierAsync(1);
            await sink.CompleteAsync(1);
        }

        Assert.Equal(Expected(rows), await ContentsAsync(db));
        Assert.Equal((25L, 0L, 0L), (paths.Copied, paths.FellBack, paths.Upserted));
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_UpsertOfKeysCommittedByAnEarlierEpoch_FallsBackOnceThenCopiesAgainInTheNextEpoch()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        using var paths = new UpsertPathProbe(db.Job);
        var epoch1 = SinkDriver.Rows(1, 20, 1).ToList();
        // First batch: ids 15..20 exist, 21..24 are new. Second batch: new keys, but the epoch already fell back.
        var epoch2 = SinkDriver.Rows(15, 10, 2).Concat(SinkDriver.Rows(30, 10, 2)).ToList();
        var epoch3 = SinkDriver.Rows(50, 10, 3).ToList();
        await using (var sink = await SinkDriver.OpenAsync(db.Options(PostgresWriteMode.Upsert, batchSize: 10)))
        {
            await sink.WriteAsync(epoch1);
            await sink.BarrierAsync(1);
            await sink.CompleteAsync(1);
            Assert.Equal((20L, 0L, 0L), (paths.Copied, paths.FellBack, paths.Upserted));

            await sink.WriteAsync(epoch2);
            await sink.BarrierAsync(2);
            await sink.CompleteAsync(2);
            Assert.Equal((20L, 10L, 10L), (paths.Copied, paths.FellBack, paths.Upserted));

            await sink.WriteAsync(epoch3);
            await sink.BarrierAsync(3);
            await sink.CompleteAsync(3);
        }

        Assert.Equal(Expected([.. epoch1, .. epoch2, .. epoch3]), await ContentsAsync(db));
        Assert.Equal((30L, 10L, 10L), (paths.Copied, paths.FellBack, paths.Upserted));
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_UpsertOfAKeyRepeatedInALaterBatchOfTheSameEpoch_FallsBackAndKeepsTheLastRow()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        using var paths = new UpsertPathProbe(db.Job);
        // The second batch repeats ids 5..10 of the first, written in the same transaction and not yet committed.
        var rows = SinkDriver.Rows(1, 10, 1).Concat(SinkDriver.Rows(5, 10, 2)).Concat(SinkDriver.Rows(100, 10, 3)).ToList();
        await using (var sink = await SinkDriver.OpenAsync(db.Options(PostgresWriteMode.Upsert, batchSize: 10)))
        {
            await sink.WriteAsync(rows);
            await sink.BarrierAsync(1);
            await sink.CompleteAsync(1);
        }

        Assert.Equal(Expected(rows), await ContentsAsync(db));
        // The first flush copies ids 1..10. The rest falls back: as one flush (20 rows) when the writes outran the first
        // COPY, or as a flush of 5..14 that falls back and one of 100..109 that upserts directly.
        Assert.Equal(10L, paths.Copied);
        Assert.Equal(20L, paths.FellBack + paths.Upserted);
        Assert.InRange(paths.FellBack, 10L, 20L);
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_UpsertFlushOfManyBatchSizes_IsOneCopyAndNeverReachesTheSavepointCap()
    {
        // 5,000 rows at BatchSize 10 buffer while the first flush's COPY runs, so the barrier's flush carries most of them.
        // Sent as one COPY per BatchSize chunk, that epoch would use up its 48 savepoints and upsert the rest.
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        using var paths = new UpsertPathProbe(db.Job);
        var rows = SinkDriver.Rows(1, 5_000, 1).ToList();
        await using (var sink = await SinkDriver.OpenAsync(db.Options(PostgresWriteMode.Upsert, batchSize: 10)))
        {
            await sink.WriteAsync(rows);
            await sink.BarrierAsync(1);
            await sink.CompleteAsync(1);
        }

        Assert.Equal(Expected(rows), await ContentsAsync(db));
        Assert.Equal((5_000L, 0L, 0L), (paths.Copied, paths.FellBack, paths.Upserted));
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_UpsertEpochOfMoreBatchesThanTheSavepointCap_UpsertsTheRestAndCopiesAgainNextEpoch()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        using var paths = new UpsertPathProbe(db.Job);
        const int cap = PostgresEpochWriter<ResultRow>.MaxCopiedBatches;
        var epoch1 = new List<ResultRow>();
        await using (var sink = await SinkDriver.OpenAsync(db.Options(PostgresWriteMode.Upsert, batchSize: 1)))
        {
            // One row at a time, each flushed before the next is written: one COPY (one savepoint) per row, until the cap.
            for (var id = 1; paths.Upserted == 0 && id <= 4 * cap; id++)
            {
                var row = new ResultRow(id, 1);
                epoch1.Add(row);
                await sink.WriteAsync([row]);
                var deadline = DateTime.UtcNow.AddSeconds(5);
                while (paths.Copied + paths.Upserted < id && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(1);
                }
            }

            await sink.BarrierAsync(1);
            await sink.CompleteAsync(1);
            Assert.Equal(0L, paths.FellBack);
            Assert.InRange(paths.Copied, cap, epoch1.Count - 1);
            Assert.Equal(epoch1.Count, paths.Copied + paths.Upserted);

            var copied = paths.Copied;
            await sink.WriteAsync([new ResultRow(1000, 1)]);
            await sink.BarrierAsync(2);
            await sink.CompleteAsync(2);
            Assert.Equal(copied + 1, paths.Copied);
        }

        Assert.Equal(Expected([.. epoch1, new ResultRow(1000, 1)]), await ContentsAsync(db));
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_UpsertEpochThatFellBack_IsPreparedAndCommittedAfterARestart()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        using var paths = new UpsertPathProbe(db.Job);
        var rows = SinkDriver.Rows(1, 10, 1).Concat(SinkDriver.Rows(5, 10, 2)).ToList();
        var first = await SinkDriver.OpenAsync(db.Options(PostgresWriteMode.Upsert, batchSize: 10));
        await first.WriteAsync(rows);
        var checkpoint1 = await first.BarrierAsync(1);
        await first.DisposeAsync();
        Assert.Equal([$"etl:{db.Job}:results:0:1"], await db.PreparedGidsAsync());
        Assert.Equal(0, await db.CountAsync());
        Assert.Equal(10L, paths.FellBack);

        await using (await SinkDriver.OpenAsync(db.Options(PostgresWriteMode.Upsert, batchSize: 10), checkpoint1, 1))
        {
            Assert.Equal(Expected(rows), await ContentsAsync(db));
        }

        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_UpsertViolatingAnotherUniqueConstraint_FailsTheEpochWithThatViolation()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        await db.ExecuteAsync($"ALTER TABLE {db.Table} ADD CONSTRAINT results_value_unique UNIQUE (value)");
        var options = db.Options(PostgresWriteMode.Upsert, batchSize: 10);
        await using (var sink = await SinkDriver.OpenAsync(options))
        {
            await sink.WriteAsync([new ResultRow(1, 1), new ResultRow(2, 2)]);
            await sink.BarrierAsync(1);
            await sink.CompleteAsync(1);

            // Id 3 is new, so the upsert's ON CONFLICT (id) cannot absorb its clash with value 1 of id 1.
            await sink.WriteAsync([new ResultRow(3, 1), new ResultRow(4, 4)]);
            var error = await Assert.ThrowsAsync<PostgresException>(async () => await sink.BarrierAsync(2));
            Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
            Assert.Equal("results_value_unique", error.ConstraintName);
        }

        Assert.Equal("1=1 2=2", await ContentsAsync(db));
        await db.AssertCleanAsync();
    }

    private static string Expected(IEnumerable<ResultRow> rows)
    {
        var last = new SortedDictionary<long, long>();
        foreach (var row in rows)
        {
            last[row.Id] = row.Value;
        }

        return string.Join(' ', last.Select(e => $"{e.Key}={e.Value}"));
    }

    private static async Task<string?> ContentsAsync(SinkTestSchema db) =>
        await db.ScalarAsync($"SELECT string_agg(id || '=' || value, ' ' ORDER BY id) FROM {db.Table}") as string;

    [Theory]
    [InlineData("CREATE TABLE {0}.loose (id bigint NOT NULL, value bigint NOT NULL)", "indexes are none")]
    [InlineData("CREATE TABLE {0}.loose (id bigint PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, value bigint NOT NULL)", "unusable")]
    [InlineData("CREATE TABLE {0}.loose (id bigint NOT NULL, value bigint NOT NULL, UNIQUE (id, value))", "(id, value)")]
    public async Task Sink_UpsertIntoATableWithoutAUsableUniqueKey_RefusesToOpen(string ddl, string described)
    {
        // Without a unique, immediate index on exactly the key columns, COPY would add a second row for a key
        // instead of failing over to the upsert: the sink must refuse the table at open, not write duplicates.
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        await db.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, ddl, db.Name));
        var options = db.Options(PostgresWriteMode.Upsert);
        options = options with { Table = options.Table with { Table = $"{db.Name}.loose" } };

        var error = await Assert.ThrowsAsync<SinkTableMismatchException>(async () =>
        {
            await using var sink = await SinkDriver.OpenAsync(options);
        });

        Assert.Contains("unique, non-deferrable index on exactly (id)", error.Message, StringComparison.Ordinal);
        Assert.Contains(described, error.Message, StringComparison.Ordinal);
        await db.AssertCleanAsync();
    }
}
