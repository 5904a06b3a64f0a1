using Etl.Pipeline;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Unit.Checkpointing.Storage;

public sealed class InMemoryCheckpointStorageTests
{
    private const string Job = "orders";

    [Fact]
    public async Task Commit_ThenLatest_RoundTripsEveryOperatorSubtaskAndKeyGroup()
    {
        var storage = new InMemoryCheckpointStorage();
        var data = CheckpointSamples.Build(Job, 1);

        var handle = await storage.CommitAsync(data, default);
        var latest = await storage.LatestAsync(Job, default);

        Assert.Equal("memory://orders/chk-1", handle.Location);
        Assert.Equal(CheckpointSamples.SizeOf(data), handle.SizeInBytes);
        Assert.NotNull(latest.Checkpoint);
        CheckpointSamples.AssertEqual(data, latest.Checkpoint);
        Assert.Empty(latest.Skipped);
    }

    [Fact]
    public async Task Commit_CallerChangesItsArraysAfterwards_StoredCheckpointIsUnchanged()
    {
        var storage = new InMemoryCheckpointStorage();
        var data = CheckpointSamples.Build(Job, 1);
        var expected = CheckpointSamples.Build(Job, 1);
        await storage.CommitAsync(data, default);

        data.Operators["kafka-source"].Subtasks[0].OperatorState![0] ^= 0xFF;
        var loaded = await storage.LoadAsync("memory://orders/chk-1", default);
        loaded.Operators["pg-sink"].Subtasks[0].OperatorState![0] ^= 0xFF;

        CheckpointSamples.AssertEqual(expected, (await storage.LatestAsync(Job, default)).Checkpoint!);
    }

    [Fact]
    public async Task Retention_KeepsTheLastNumRetainedCheckpointsAndEverySavepoint()
    {
        var storage = new InMemoryCheckpointStorage(new InMemoryCheckpointStorageOptions(NumRetained: 2));
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 2, CheckpointKind.Savepoint), default);
        for (var id = 3; id <= 6; id++)
        {
            await storage.CommitAsync(CheckpointSamples.Build(Job, id), default);
        }

        var handles = await storage.ListAsync(Job, default);

        Assert.Equal(["memory://orders/savepoint-2", "memory://orders/chk-5", "memory://orders/chk-6"], handles.Select(h => h.Location));
        Assert.Equal(handles.Sum(h => h.SizeInBytes), storage.SizeInBytes);
        Assert.Equal(new CheckpointId(6), (await storage.LatestAsync(Job, default)).Checkpoint!.Id);
    }

    [Fact]
    public async Task HighestId_CountsReservedIdsThatNeverCompleted()
    {
        var storage = new InMemoryCheckpointStorage();
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await storage.ReserveAsync(Job, new CheckpointId(2), default);

        Assert.Equal(new CheckpointId(2), await storage.HighestIdAsync(Job, default));
        Assert.Equal(CheckpointId.None, await storage.HighestIdAsync("other", default));
        Assert.Equal(new CheckpointId(1), (await storage.LatestAsync(Job, default)).Checkpoint!.Id);
    }

    [Fact]
    public async Task Commit_SameIdTwice_Fails()
    {
        var storage = new InMemoryCheckpointStorage();
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default));
    }

    [Fact]
    public async Task Commit_PastTheSizeCap_FailsNamingTheSettingAndStoresNothing()
    {
        var one = CheckpointSamples.SizeOf(CheckpointSamples.Build(Job, 1));
        var storage = new InMemoryCheckpointStorage(new InMemoryCheckpointStorageOptions(MaxSizeInBytes: (one * 2) + 10, NumRetained: 5));
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 2), default);

        var error = await Assert.ThrowsAsync<CheckpointStorageFullException>(
            async () => await storage.CommitAsync(CheckpointSamples.Build(Job, 3), default));

        Assert.Contains("InMemoryCheckpointStorageOptions.MaxSizeInBytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(one * 3, error.RequiredBytes);
        Assert.Equal(2, (await storage.ListAsync(Job, default)).Count);
        Assert.Equal(one * 2, storage.SizeInBytes);
    }

    [Fact]
    public async Task SizeCap_CountsOnlyWhatRetentionKeeps()
    {
        var one = CheckpointSamples.SizeOf(CheckpointSamples.Build(Job, 1));
        var storage = new InMemoryCheckpointStorage(new InMemoryCheckpointStorageOptions(MaxSizeInBytes: one * 2, NumRetained: 2));

        for (var id = 1; id <= 5; id++)
        {
            await storage.CommitAsync(CheckpointSamples.Build(Job, id), default);
        }

        Assert.Equal(one * 2, storage.SizeInBytes);
    }

    [Theory]
    [InlineData("memory://orders/chk-2")]
    [InlineData("memory://orders/chk-2/")]
    [InlineData("memory://orders/chk-2/_metadata")]
    public async Task Load_ByEachLocationForm_FindsTheCheckpoint(string location)
    {
        var storage = new InMemoryCheckpointStorage();
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 2), default);

        var loaded = await storage.LoadAsync(location, default);

        CheckpointSamples.AssertEqual(CheckpointSamples.Build(Job, 2), loaded);
    }

    [Fact]
    public async Task Load_UnknownLocation_FailsWithTheLocation()
    {
        var storage = new InMemoryCheckpointStorage();

        var error = await Assert.ThrowsAsync<CheckpointNotFoundException>(async () => await storage.LoadAsync("memory://orders/chk-9", default));

        Assert.Equal("memory://orders/chk-9", error.Location);
    }

    [Theory]
    [InlineData(CheckpointRetention.RetainOnCancellation, 3)]
    [InlineData(CheckpointRetention.DeleteOnCancellation, 1)]
    public async Task Cancel_DeletesCheckpointsOnlyWhenAskedAndNeverSavepoints(CheckpointRetention retention, int left)
    {
        var storage = new InMemoryCheckpointStorage(new InMemoryCheckpointStorageOptions(Retention: retention));
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 2, CheckpointKind.Savepoint), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 3), default);

        await storage.OnJobCancelledAsync(Job, default);

        var handles = await storage.ListAsync(Job, default);
        Assert.Equal(left, handles.Count);
        Assert.Contains(handles, h => h.Kind == CheckpointKind.Savepoint);
        Assert.Equal(new CheckpointId(3), await storage.HighestIdAsync(Job, default));
    }

    [Theory]
    [InlineData(0L, 3, "MaxSizeInBytes")]
    [InlineData(100L, 0, "NumRetained")]
    public void Options_Invalid_NameTheSetting(long cap, int retained, string setting)
    {
        var error = Assert.Throws<ArgumentException>(() => new InMemoryCheckpointStorage(new InMemoryCheckpointStorageOptions(cap, retained)));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
