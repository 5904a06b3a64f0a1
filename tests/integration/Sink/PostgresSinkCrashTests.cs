using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Sink;

/// <summary>SIGKILL a real process at the sink's fault points, restart it from its last durable snapshot.</summary>
public sealed class PostgresSinkCrashTests
{
    private const int Epochs = 5;
    private const int RowsPerEpoch = 2_500;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sink_CrashAfterPreCommit_CommitsEachRowOnce()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var state = Path.Combine(Path.GetTempPath(), $"{db.Name}.state");
        try
        {
            await using (var crashing = EtlProcess.StartHost("sink-epochs", Arguments(db, state, "fault=after-prepare:3")))
            {
                await crashing.WaitForLineAsync("PREPARED 3", Deadline);
                await crashing.KillAsync();
            }

            // Checkpoint 3 never completed: its transaction lingers, invisible.
            Assert.Equal([$"etl:{db.Job}:results:0:3"], await db.PreparedGidsAsync());
            Assert.Equal(2 * RowsPerEpoch, await db.CountAsync());

            await RunToTheEndAsync(db, state, expectRestoredFrom: 2);

            Assert.Equal(Epochs * RowsPerEpoch, await db.CountAsync());
            Assert.Equal(RowsPerEpoch, await db.CountAsync("value = 3"));
            await db.AssertCleanAsync();
        }
        finally
        {
            File.Delete(state);
        }
    }

    [Fact]
    public async Task Sink_CrashAfterCheckpointCompleteBeforeCommit_CommitsEachRowOnce()
    {
        await using var db = await SinkTestSchema.CreateAsync(CancellationToken.None);
        var state = Path.Combine(Path.GetTempPath(), $"{db.Name}.state");
        try
        {
            await using (var crashing = EtlProcess.StartHost("sink-epochs", Arguments(db, state, "fault=after-complete:3")))
            {
                await crashing.WaitForLineAsync("COMPLETED 3", Deadline);
                await crashing.KillAsync();
            }

            // Checkpoint 3 is durable but its commit never ran: the restore must commit it.
            Assert.Equal([$"etl:{db.Job}:results:0:3"], await db.PreparedGidsAsync());
            Assert.Equal(2 * RowsPerEpoch, await db.CountAsync());

            await RunToTheEndAsync(db, state, expectRestoredFrom: 3);

            Assert.Equal(Epochs * RowsPerEpoch, await db.CountAsync());
            await db.AssertCleanAsync();
        }
        finally
        {
            File.Delete(state);
        }
    }

    private static async Task RunToTheEndAsync(SinkTestSchema db, string state, long expectRestoredFrom)
    {
        await using var restarted = EtlProcess.StartHost("sink-epochs", Arguments(db, state, ""));
        var exit = await restarted.WaitForExitAsync(Deadline);
        Assert.True(exit == 0, $"The restarted host failed with exit code {exit}.\n{restarted.Describe()}");
        await restarted.WaitForLineAsync($"OPENED {expectRestoredFrom}", TimeSpan.Zero);
        await restarted.WaitForLineAsync("DONE", TimeSpan.Zero);
    }

    private static string[] Arguments(SinkTestSchema db, string state, string fault) =>
    [
        $"connection={TestServices.PostgresConnectionString}", $"table={db.Table}", $"schema={db.Name}", $"job={db.Job}",
        $"state={state}", $"epochs={Epochs}", $"rows={RowsPerEpoch}", fault,
    ];
}
