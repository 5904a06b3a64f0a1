using Etl.Connectors.Postgres;
using Etl.Pipeline;
using Etl.TwoPhaseCommit;
using Npgsql;

namespace Etl.Tests.Integration.Sink;

public sealed class PostgresSinkEpochTests
{
    [Fact]
    public async Task Sink_NextEpochWritingTheSameKeys_DoesNotDeadlockTheCommit()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using (var sink = await SinkDriver.OpenAsync(db.Options(batchSize: 10)))
        {
            await sink.WriteAsync(SinkDriver.Rows(1, 50, 1), deadline.Token);
            await sink.BarrierAsync(1, deadline.Token);

            // Five batches' worth of the same keys: sent now, they would wait on the prepared rows' locks,
            // and the notification below could never be delivered.
            await sink.WriteAsync(SinkDriver.Rows(1, 50, 2), deadline.Token);
            await sink.CompleteAsync(1, deadline.Token);
            Assert.Equal(50, await db.CountAsync("value = 1"));

            await sink.WriteAsync(SinkDriver.Rows(51, 5, 2), deadline.Token);
            await sink.BarrierAsync(2, deadline.Token);
            await sink.CompleteAsync(2, deadline.Token);
        }

        Assert.Equal(55, await db.CountAsync("value = 2"));
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_AbortedCheckpointOverlappingTheNextEpoch_StagesIt_AndCommitsBothInOrder()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        // Short lock timeout: were the staged path to touch the pending rows, this fails fast instead of hanging.
        var options = db.Options(batchSize: 10) with { LockTimeout = TimeSpan.FromSeconds(2) };
        await using (var sink = await SinkDriver.OpenAsync(options))
        {
            await sink.WriteAsync(SinkDriver.Rows(1, 20, 1));
            await sink.BarrierAsync(1);
            await sink.AbortedAsync(1);
            await sink.WriteAsync(SinkDriver.Rows(1, 25, 2));

            // Barrier 2 must send rows that the still-pending transaction 1 holds locks on.
            await sink.BarrierAsync(2);
            Assert.Equal(0, await db.CountAsync());
            Assert.Equal(2, (await db.PreparedGidsAsync()).Count);

            await sink.CompleteAsync(2);
        }

        Assert.Equal(25, await db.CountAsync("value = 2"));
        Assert.Equal(0L, await db.StagedCountAsync());
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_CrashAfterAStagedEpochCommittedBeforeItMoved_RecoveryMovesItsRowsOnce()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var options = db.Options(PostgresWriteMode.Insert, batchSize: 10);
        var sink = await SinkDriver.OpenAsync(options);
        await sink.WriteAsync(SinkDriver.Rows(1, 20, 1));
        await sink.BarrierAsync(1);
        await sink.WriteAsync(SinkDriver.Rows(21, 20, 2));
        var checkpoint2 = await sink.BarrierAsync(2);
        await sink.DisposeAsync();
        // The crash came after both COMMIT PREPAREDs and before the staged rows moved into the target.
        await db.ExecuteAsync($"COMMIT PREPARED 'etl:{db.Job}:results:0:1'");
        await db.ExecuteAsync($"COMMIT PREPARED 'etl:{db.Job}:results:0:2'");
        Assert.Equal(20, await db.CountAsync());
        Assert.Equal(20L, await db.StagedCountAsync());

        await using (var recovered = await SinkDriver.OpenAsync(options, checkpoint2, 2))
        {
            Assert.Equal(40, await db.CountAsync());
        }

        await using (await SinkDriver.OpenAsync(options, checkpoint2, 2))
        {
            // Restoring the same checkpoint again moves nothing twice.
        }

        Assert.Equal(40, await db.CountAsync());
        Assert.Equal(0L, await db.StagedCountAsync());
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_SecondInstanceOfTheSameSubtask_IsRefusedWithAClearError()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        await using (await SinkDriver.OpenAsync(db.Options()))
        {
            var error = await Assert.ThrowsAsync<SinkInstanceConflictException>(() => SinkDriver.OpenAsync(db.Options()));
            Assert.Contains($"job '{db.Job}'", error.Message, StringComparison.Ordinal);
            Assert.Contains("sink 'results' subtask 0", error.Message, StringComparison.Ordinal);
            await using (await SinkDriver.OpenAsync(db.Options(), subtask: 1, parallelism: 2))
            {
                // Another subtask of the same sink is a different owner.
            }
        }

        await using (await SinkDriver.OpenAsync(db.Options()))
        {
            // The lock went with the first instance.
        }

        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_FailedStatementMidEpoch_RecoversFromTheLastSnapshotWithoutDuplicates()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var options = db.Options(PostgresWriteMode.Insert, batchSize: 10);
        var sink = await SinkDriver.OpenAsync(options);
        await sink.WriteAsync(SinkDriver.Rows(1, 30, 1));
        await sink.BarrierAsync(1);
        await sink.CompleteAsync(1);
        await sink.WriteAsync(SinkDriver.Rows(31, 30, 1));
        var checkpoint2 = await sink.BarrierAsync(2);
        await sink.CompleteAsync(2);
        await sink.WriteAsync(SinkDriver.Rows(61, 5, 1));
        // The batch holding this row breaks the CHECK constraint: the epoch's transaction is dead. Batches are sent in
        // the background, so the error surfaces at a later write or, at the latest, at the barrier: never prepared.
        await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await sink.WriteAsync([new ResultRow(66, -1), .. SinkDriver.Rows(67, 20, 1)]);
            await sink.BarrierAsync(3);
        });
        await sink.DisposeAsync();
        Assert.Equal(60, await db.CountAsync());
        // The operator repairs the table; the job restarts from checkpoint 2 and replays the rest of the input.
        await db.ExecuteAsync($"ALTER TABLE {db.Table} DROP CONSTRAINT results_value_check");

        await using (var recovered = await SinkDriver.OpenAsync(options, checkpoint2, 2))
        {
            await recovered.WriteAsync(SinkDriver.Rows(61, 5, 1));
            await recovered.WriteAsync([new ResultRow(66, -1), .. SinkDriver.Rows(67, 20, 1)]);
            await recovered.BarrierAsync(3);
            await recovered.CompleteAsync(3);
        }

        Assert.Equal(86, await db.CountAsync());
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_FailureAtTheBarrierWhileAnEpochIsPending_RecoversWithoutDuplicates()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var options = db.Options(PostgresWriteMode.Insert, batchSize: 10);
        var sink = await SinkDriver.OpenAsync(options);
        await sink.WriteAsync(SinkDriver.Rows(1, 30, 1));
        var checkpoint1 = await sink.BarrierAsync(1);
        // Checkpoint 1 is durable but its notification is lost; epoch 2's rows are held until the barrier.
        await sink.WriteAsync([.. SinkDriver.Rows(31, 10, 1), new ResultRow(41, -1), .. SinkDriver.Rows(42, 10, 1)]);
        await Assert.ThrowsAsync<PostgresException>(async () => await sink.BarrierAsync(2));
        await sink.DisposeAsync();

        await using (var recovered = await SinkDriver.OpenAsync(options, checkpoint1, 1))
        {
            Assert.Equal(30, await db.CountAsync());
            // Repairing the table needs its lock, which prepared transaction 1 held until the restore committed it.
            await db.ExecuteAsync($"ALTER TABLE {db.Table} DROP CONSTRAINT results_value_check");
            await recovered.WriteAsync([.. SinkDriver.Rows(31, 10, 1), new ResultRow(41, -1), .. SinkDriver.Rows(42, 10, 1)]);
            await recovered.BarrierAsync(2);
            await recovered.CompleteAsync(2);
        }

        Assert.Equal(51, await db.CountAsync());
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_DeadLetters_CommitInTheSameTransactionAsTheResults()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        await using (var sink = await SinkDriver.OpenAsync(db.Options()))
        {
            await sink.WriteAsync(SinkDriver.Rows(1, 3, 1));
            await sink.WriteDeadLetterAsync(new DeadLetter(
                new SourcePosition("orders", 2, 41), [1, 2], [3, 4], DeadLetterReasons.Deserialization, "not JSON", 1_700_000_000_000));
            await sink.BarrierAsync(1);
            Assert.Equal(0, await db.DeadLetterCountAsync());
            await sink.CompleteAsync(1);
        }

        Assert.Equal(1, await db.DeadLetterCountAsync());
        Assert.Equal(
            $"{db.Job}|results|orders|2|41|deserialization|not JSON",
            await db.ScalarAsync($"SELECT concat_ws('|', job, sink, source_topic, source_partition, source_offset, reason, error) FROM {db.Name}.dead_letters"));
        Assert.Equal(3, await db.CountAsync());
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_EmptyEpoch_PreparesNothing()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        await using (var sink = await SinkDriver.OpenAsync(db.Options()))
        {
            await sink.BarrierAsync(1);
            Assert.Empty(await db.PreparedGidsAsync());
            await sink.CompleteAsync(1);
        }

        Assert.Equal(0L, await db.ScalarAsync($"SELECT count(*) FROM {db.Name}.sink_commits"));
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_HeldRowsPastTheirBound_FailNamingTheLateCheckpointAndTheSetting()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        await using (var sink = await SinkDriver.OpenAsync(db.Options(batchSize: 10) with { MaxHeldRows = 30 }))
        {
            await sink.WriteAsync(SinkDriver.Rows(1, 5, 1));
            await sink.BarrierAsync(1);
            await sink.WriteAsync(SinkDriver.Rows(1, 29, 2));

            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await sink.WriteAsync([new ResultRow(30, 2)]));

            Assert.Contains($"etl:{db.Job}:results:0:1", error.Message, StringComparison.Ordinal);
            Assert.Contains("MaxHeldRows", error.Message, StringComparison.Ordinal);
            // Checkpoint 1's transaction still commits; then the sink reports that its open epoch failed.
            await Assert.ThrowsAsync<TransactionFailedException>(async () => await sink.CompleteAsync(1));
        }

        Assert.Equal(5, await db.CountAsync());
        await db.AssertCleanAsync();
    }

    [Theory]
    [InlineData("job:x", "results", "JobName")]
    [InlineData("job", "it's", "SinkUid")]
    [InlineData("job", "", "SinkUid")]
    public async Task Sink_InvalidNames_AreRejectedNamingTheSetting(string job, string sink, string setting)
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var options = db.Options() with { JobName = job, SinkUid = sink };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SinkDriver.OpenAsync(options));

        Assert.Contains($"PostgresSinkOptions.{setting}", error.Message, StringComparison.Ordinal);
    }
}
