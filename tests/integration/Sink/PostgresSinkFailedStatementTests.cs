using Etl.Connectors.Postgres;
using Etl.Pipeline;
using Npgsql;

namespace Etl.Tests.Integration.Sink;

/// <summary>
/// Issue 13, scenario 7: after a failed PREPARE or statement the epoch is gone in PostgreSQL. The sink must fail
/// the attempt (the job restarts from its last completed checkpoint and replays) and must never go on writing
/// outside a transaction, where the next epoch would autocommit and its marker later "prove" a commit.
/// </summary>
public sealed class PostgresSinkFailedStatementTests
{
    [Theory]
    [InlineData(PostgresWriteMode.Insert)]
    [InlineData(PostgresWriteMode.Upsert)]
    public async Task Sink_PrepareFailsWhileCheckpointFailuresAreTolerated_RefusesTheNextEpoch_AndNothingAutocommits(PostgresWriteMode mode)
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        // A deferred constraint trigger runs at PREPARE TRANSACTION: a row of value 13 makes PREPARE fail, and
        // PostgreSQL rolls the whole transaction back (the session is then outside any transaction).
        await db.ExecuteAsync($"""
            CREATE FUNCTION {db.Name}.refuse_13() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.value = 13 THEN RAISE EXCEPTION 'value 13 is refused at commit time'; END IF; RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER refuse_13 AFTER INSERT OR UPDATE ON {db.Table}
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {db.Name}.refuse_13();
            """);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Exception? refused = null;
        await using (var sink = await SinkDriver.OpenAsync(db.Options(mode, batchSize: 10)))
        {
            await sink.WriteAsync([.. SinkDriver.Rows(1, 20, 1), new ResultRow(21, 13)], deadline.Token);
            var prepare = await Assert.ThrowsAsync<PostgresException>(async () => await sink.BarrierAsync(1, deadline.Token));
            Assert.Contains("value 13", prepare.MessageText, StringComparison.Ordinal);

            // What the runtime does with Etl:Checkpoints:TolerableFailures >= 1: checkpoint 1 is declined and
            // aborted, the stream goes on into the next epoch, and checkpoint 2 completes. (An upsert batch starts with
            // SAVEPOINT, which fails outside a transaction; an epoch of dead letters only has no such statement.)
            try
            {
                await sink.AbortedAsync(1);
                if (mode == PostgresWriteMode.Insert)
                {
                    await sink.WriteAsync(SinkDriver.Rows(101, 20, 2), deadline.Token);
                }

                await sink.WriteDeadLetterAsync(new DeadLetter(
                    new SourcePosition("orders", 0, 7), [1], [2], DeadLetterReasons.Deserialization, "not JSON", 1_700_000_000_000));
                await sink.BarrierAsync(2, deadline.Token);
                await sink.CompleteAsync(2, deadline.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                refused = e;
            }
        }

        var epoch1 = await db.CountAsync("value = 1");
        var epoch2 = await db.CountAsync("value = 2");
        var deadLetters = await db.DeadLetterCountAsync();
        var markers = (long)(await db.ScalarAsync($"SELECT count(*) FROM {db.Name}.sink_commits"))!;
        Assert.True(
            refused is not null,
            $"After the failed PREPARE of epoch 1 the sink went on: checkpoint 2 'committed' with epoch 1's rows lost ({epoch1} of 20 " +
            $"in the table), epoch 2's rows {epoch2}, dead letters {deadLetters}, markers {markers}.");
        // Nothing the sink was handed after the failure may be visible: it would have been written outside a transaction.
        Assert.Equal(0, epoch2);
        Assert.Equal(0, deadLetters);
        Assert.Equal(0, markers);
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_StatementFailsInsideTheEpoch_TheEpochRefusesFurtherWrites_AndPreparesNothing()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Exception? refused = null;
        await using (var sink = await SinkDriver.OpenAsync(db.Options(batchSize: 10)))
        {
            // value -1 violates the CHECK: the batch's statement fails and the server transaction is aborted.
            try
            {
                await sink.WriteAsync([.. SinkDriver.Rows(1, 9, 1), new ResultRow(10, -1)], deadline.Token);
                await sink.WriteAsync(SinkDriver.Rows(11, 20, 1), deadline.Token);
                await sink.BarrierAsync(1, deadline.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                refused = e;
            }

            Assert.NotNull(refused);
            // The runtime tolerates the declined checkpoint and goes on: every later call must be refused too.
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await sink.AbortedAsync(1);
                await sink.WriteAsync(SinkDriver.Rows(100, 20, 2), deadline.Token);
                await sink.BarrierAsync(2, deadline.Token);
            });
        }

        Assert.Equal(0, await db.CountAsync());
        Assert.Equal(0L, (long)(await db.ScalarAsync($"SELECT count(*) FROM {db.Name}.sink_commits"))!);
        await db.AssertCleanAsync();
    }
}
