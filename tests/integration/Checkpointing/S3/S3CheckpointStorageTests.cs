using System.Globalization;
using Etl.CheckpointStorage;
using Etl.DevServices;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Tests.Host;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Checkpointing.Storage;

namespace Etl.Tests.Integration.Checkpointing.S3;

/// <summary>
/// The S3 storage's commit point against a real gateway: a process killed between its state objects and _metadata,
/// two writers racing for one checkpoint, a gateway killed mid-run, and a second storage (another process's view)
/// restoring a retained checkpoint.
/// </summary>
public sealed class S3CheckpointStorageTests
{
    private const string Job = "orders";

    [Fact]
    public async Task ProcessKilledBetweenStateObjectsAndMetadata_LeavesNothingThatLooksComplete()
    {
        var root = TestS3.NewRoot("crash");
        await using (var process = EtlProcess.StartHost("checkpoint-storage-commit-loop", [root, Job, "3"], TestS3.HostEnvironment()))
        {
            await process.WaitForExitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(["reserved 1", "committed 1", "reserved 2", "committed 2", "reserved 3"], process.OutputLines);
        }

        using var storage = (IDisposable)TestS3.Storage(root);
        var checkpoints = (ICheckpointStorage)storage;
        var latest = await checkpoints.LatestAsync(Job, default);
        Assert.Empty(latest.Skipped);
        Assert.Equal(new CheckpointId(2), latest.Checkpoint!.Id);
        Assert.Equal([1L, 2L], (await checkpoints.ListAsync(Job, default)).Select(h => h.Id.Value));
        Assert.Equal(new CheckpointId(3), await checkpoints.HighestIdAsync(Job, default));
        await Assert.ThrowsAsync<CheckpointNotFoundException>(async () => await checkpoints.LoadAsync($"{root}/{Job}/chk-3", default));

        // The crashed attempt's state objects are there, unreferenced; the next checkpoint's retention removes them.
        using var s3 = new S3Inspector();
        Assert.NotEmpty(await s3.KeysAsync(root, $"{Job}/chk-3/"));
        await checkpoints.CommitAsync(CrashCheckpointContent.Build(Job, 4), default);
        Assert.Empty(await s3.KeysAsync(root, $"{Job}/chk-3/"));
    }

    [Fact]
    public async Task TwoWritersRaceForOneCheckpoint_ExactlyOneWinsEachRound()
    {
        var root = TestS3.NewRoot("race");
        using var first = (ObjectStoreCheckpointStorage)TestS3.Storage(root);
        using var second = (ObjectStoreCheckpointStorage)TestS3.Storage(root);
        for (var round = 1; round <= 6; round++)
        {
            var mine = CheckpointSamples.Build(Job, round);
            var theirs = CheckpointSamples.Build(Job, round, keyedBytes: 64 + round);
            var results = await Task.WhenAll(CommitAsync(first, mine), CommitAsync(second, theirs));

            Assert.Single(results, won => won);
            CheckpointSamples.AssertEqual(results[0] ? mine : theirs, (await second.LatestAsync(Job, default)).Checkpoint!);
        }

        // The losers deleted their own state objects: each retained checkpoint holds _metadata and its 6 state objects.
        using var s3 = new S3Inspector();
        foreach (var handle in await first.ListAsync(Job, default))
        {
            Assert.Equal(7, (await s3.KeysAsync(root, $"{Job}/chk-{handle.Id.Value.ToString(CultureInfo.InvariantCulture)}/")).Count);
        }
    }

    [LocalS3Fact]
    public async Task GatewayKilledMidRun_CommitsFailOverToTheOtherGateway()
    {
        var root = TestS3.NewRoot("failover");
        var port = FreePort.Pick();
        using var gateway = await LocalS3.Attach(TestS3.LocalDirectory!).StartGatewayAsync($"test-{port}", port, CancellationToken.None);
        var endpoints = new[] { $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", TestS3.Endpoints[0] };
        using var storage = (IDisposable)TestS3.Storage(root, endpoints: endpoints);
        var checkpoints = (ICheckpointStorage)storage;
        try
        {
            for (var id = 1; id <= 8; id++)
            {
                if (id == 4)
                {
                    gateway.Kill();
                    await gateway.WaitForExitAsync();
                }

                await checkpoints.CommitAsync(CheckpointSamples.Build(Job, id), default);
            }
        }
        finally
        {
            if (!gateway.HasExited)
            {
                gateway.Kill();
            }
        }

        Assert.Equal([6L, 7L, 8L], (await checkpoints.ListAsync(Job, default)).Select(h => h.Id.Value));
        CheckpointSamples.AssertEqual(CheckpointSamples.Build(Job, 8), (await checkpoints.LatestAsync(Job, default)).Checkpoint!);
    }

    [Fact]
    public async Task RetainedCheckpoint_IsRestoredByAnotherStorageOverTheSamePrefix()
    {
        var root = TestS3.NewRoot("restore");
        var handles = new List<CheckpointHandle>();
        using (var writer = (IDisposable)TestS3.Storage(root))
        {
            for (var id = 1; id <= 5; id++)
            {
                handles.Add(await ((ICheckpointStorage)writer).CommitAsync(CheckpointSamples.Build(Job, id, keyedBytes: 4096), default));
            }

            handles.Add(await ((ICheckpointStorage)writer).CommitAsync(CheckpointSamples.Build(Job, 6, CheckpointKind.Savepoint), default));
        }

        // A new storage is what a standby or a restarted worker on another machine has: only the bucket.
        using var reader = (IDisposable)TestS3.Storage(root);
        var checkpoints = (ICheckpointStorage)reader;
        Assert.Equal($"{root}/{Job}/chk-4", handles[3].Location);
        CheckpointSamples.AssertEqual(CheckpointSamples.Build(Job, 4, keyedBytes: 4096), await checkpoints.LoadAsync(handles[3].Location + "/_metadata", default));
        await Assert.ThrowsAsync<CheckpointNotFoundException>(async () => await checkpoints.LoadAsync(handles[0].Location, default));
        Assert.Equal(new CheckpointId(6), (await checkpoints.LatestAsync(Job, default)).Checkpoint!.Id);
        Assert.Equal(
            [(3L, CheckpointKind.Checkpoint), (4L, CheckpointKind.Checkpoint), (5L, CheckpointKind.Checkpoint), (6L, CheckpointKind.Savepoint)],
            (await checkpoints.ListAsync(Job, default)).Select(h => (h.Id.Value, h.Kind)));
    }

    private static async Task<bool> CommitAsync(ObjectStoreCheckpointStorage storage, CheckpointData data)
    {
        try
        {
            await storage.CommitAsync(data, default);
            return true;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("already completed", StringComparison.Ordinal))
        {
            return false;
        }
    }
}
