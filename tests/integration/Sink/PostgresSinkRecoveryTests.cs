using Etl.Connectors.Postgres;
using Etl.TwoPhaseCommit;

namespace Etl.Tests.Integration.Sink;

public sealed class PostgresSinkRecoveryTests
{
    [Fact]
    public async Task Sink_CommitAfterThePreparingConnectionClosed_MakesTheRowsVisibleOnce()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var first = await SinkDriver.OpenAsync(db.Options());
        await first.WriteAsync(SinkDriver.Rows(1, 250, 1));
        var checkpoint1 = await first.BarrierAsync(1);
        await first.DisposeAsync();
        Assert.Equal([$"etl:{db.Job}:results:0:1"], await db.PreparedGidsAsync());
        Assert.Equal(0, await db.CountAsync());

        await using (await SinkDriver.OpenAsync(db.Options(), checkpoint1, 1))
        {
            Assert.Equal(250, await db.CountAsync());
        }

        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_RestoreOfAnAlreadyCommittedGid_IsSuccess()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var first = await SinkDriver.OpenAsync(db.Options());
        await first.WriteAsync(SinkDriver.Rows(1, 10, 1));
        var checkpoint1 = await first.BarrierAsync(1);
        await first.CompleteAsync(1);
        await first.DisposeAsync();

        // The notification was delivered before the crash, so the restored gid is gone: the marker proves the commit.
        await using (var second = await SinkDriver.OpenAsync(db.Options(), checkpoint1, 1))
        {
            await second.CompleteAsync(1);
        }

        Assert.Equal(10, await db.CountAsync());
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_RestoredGidWithNoMarkerAndNoPreparedTransaction_FailsLoudly()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var first = await SinkDriver.OpenAsync(db.Options());
        await first.WriteAsync(SinkDriver.Rows(1, 10, 1));
        var checkpoint1 = await first.BarrierAsync(1);
        await first.DisposeAsync();
        await db.ExecuteAsync($"ROLLBACK PREPARED 'etl:{db.Job}:results:0:1'");

        var error = await Assert.ThrowsAsync<TransactionCommitException>(() => SinkDriver.OpenAsync(db.Options(), checkpoint1, 1));

        Assert.IsType<TransactionLostException>(error.InnerException);
        Assert.Contains($"etl:{db.Job}:results:0:1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.CountAsync());
        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_LingeringGidsOfLaterEpochs_AreRolledBackOnRestore_AndOnlyThisSubtasks()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var zero = await SinkDriver.OpenAsync(db.Options(), subtask: 0, parallelism: 2);
        var one = await SinkDriver.OpenAsync(db.Options(), subtask: 1, parallelism: 2);
        await zero.WriteAsync(SinkDriver.Rows(1, 10, 1));
        await one.WriteAsync(SinkDriver.Rows(1001, 10, 1));
        var zero1 = await zero.BarrierAsync(1);
        var one1 = await one.BarrierAsync(1);
        await zero.WriteAsync(SinkDriver.Rows(11, 10, 2));
        await one.WriteAsync(SinkDriver.Rows(1011, 10, 2));
        await zero.BarrierAsync(2);
        await one.BarrierAsync(2);
        // Crash before checkpoint 2 completed.
        await zero.DisposeAsync();
        await one.DisposeAsync();

        await using (var restored = await SinkDriver.OpenAsync(db.Options(), restoredId: 1, subtask: 0, parallelism: 2, oldSubtasks: [zero1, one1]))
        {
            Assert.Equal(10, await db.CountAsync());
            Assert.Equal([$"etl:{db.Job}:results:1:1", $"etl:{db.Job}:results:1:2"], await db.PreparedGidsAsync());
            await restored.WriteAsync(SinkDriver.Rows(11, 10, 2));
            await restored.BarrierAsync(2);
            await restored.CompleteAsync(2);
        }

        await using (await SinkDriver.OpenAsync(db.Options(), restoredId: 1, subtask: 1, parallelism: 2, oldSubtasks: [zero1, one1]))
        {
            Assert.Equal(30, await db.CountAsync());
        }

        await db.AssertCleanAsync();
    }

    [Fact]
    public async Task Sink_AfterScaleDown_CommitsAndCleansTheOrphanedSubtasksGids()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var zero = await SinkDriver.OpenAsync(db.Options(), subtask: 0, parallelism: 2);
        var one = await SinkDriver.OpenAsync(db.Options(), subtask: 1, parallelism: 2);
        await zero.WriteAsync(SinkDriver.Rows(1, 10, 1));
        await one.WriteAsync(SinkDriver.Rows(101, 10, 1));
        var zero1 = await zero.BarrierAsync(1);
        var one1 = await one.BarrierAsync(1);
        await one.WriteAsync(SinkDriver.Rows(111, 10, 1));
        await one.BarrierAsync(2);
        await zero.DisposeAsync();
        await one.DisposeAsync();

        await using (await SinkDriver.OpenAsync(db.Options(), restoredId: 1, subtask: 0, parallelism: 1, oldSubtasks: [zero1, one1]))
        {
            Assert.Equal(20, await db.CountAsync());
        }

        await db.AssertCleanAsync();
    }
}
