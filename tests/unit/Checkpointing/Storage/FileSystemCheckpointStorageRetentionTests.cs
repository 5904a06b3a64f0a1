using Etl.Pipeline;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Unit.Checkpointing.Storage;

public sealed class FileSystemCheckpointStorageRetentionTests : IDisposable
{
    private const string Job = "orders";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Retention_KeepsTheLastNumRetainedCompletedCheckpoints()
    {
        using var storage = Storage(numRetained: 2);

        for (var id = 1; id <= 5; id++)
        {
            await storage.CommitAsync(CheckpointSamples.Build(Job, id), default);
        }

        Assert.Equal(["chk-4", "chk-5"], CheckpointDirectoryNames());
        Assert.Equal([4L, 5L], (await storage.ListAsync(Job, default)).Select(h => h.Id.Value));
    }

    [Fact]
    public async Task Retention_DeletesIncompleteDirectoriesOlderThanTheNewestCompletedOnly()
    {
        using var storage = Storage();
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        Directory.CreateDirectory(_temp.Combine("checkpoints", Job, "chk-2"));
        await File.WriteAllTextAsync(_temp.Combine("checkpoints", Job, "chk-2", "_metadata.inprogress"), "{");
        Directory.CreateDirectory(_temp.Combine("checkpoints", Job, "chk-4"));

        await storage.CommitAsync(CheckpointSamples.Build(Job, 3), default);

        Assert.Equal(["chk-1", "chk-3", "chk-4"], CheckpointDirectoryNames());
    }

    [Fact]
    public async Task Savepoints_SurviveRetentionAndDeleteOnCancellation()
    {
        using var storage = Storage(numRetained: 1, retention: CheckpointRetention.DeleteOnCancellation);
        var savepoint = await storage.CommitAsync(CheckpointSamples.Build(Job, 1, CheckpointKind.Savepoint), default);
        for (var id = 2; id <= 4; id++)
        {
            await storage.CommitAsync(CheckpointSamples.Build(Job, id), default);
        }

        await storage.OnJobCancelledAsync(Job, default);

        Assert.True(File.Exists(Path.Combine(savepoint.Location, "_metadata")));
        Assert.Equal([savepoint.Location], (await storage.ListAsync(Job, default)).Select(h => h.Location));
    }

    [Fact]
    public async Task Cancel_WithRetainOnCancellation_KeepsCheckpoints()
    {
        using var storage = Storage();
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 2), default);

        await storage.OnJobCancelledAsync(Job, default);

        Assert.Equal(["chk-1", "chk-2"], CheckpointDirectoryNames());
        Assert.Equal(new CheckpointId(2), (await storage.LatestAsync(Job, default)).Checkpoint!.Id);
    }

    [Fact]
    public async Task Cancel_WithDeleteOnCancellation_DeletesCheckpointsButNeverForgetsTheirIds()
    {
        using var storage = Storage(retention: CheckpointRetention.DeleteOnCancellation);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 2), default);

        await storage.OnJobCancelledAsync(Job, default);

        Assert.Empty(CheckpointDirectoryNames());
        Assert.False(Directory.Exists(_temp.Combine("checkpoints", Job, "shared")));
        Assert.Null((await storage.LatestAsync(Job, default)).Checkpoint);
        using var resubmitted = Storage();
        Assert.Equal(new CheckpointId(2), await resubmitted.HighestIdAsync(Job, default));
    }

    [Fact]
    public async Task HighestId_AfterRestart_CountsAReservedIdThatNeverCompleted()
    {
        using (var before = Storage())
        {
            await before.ReserveAsync(Job, new CheckpointId(1), default);
            await before.CommitAsync(CheckpointSamples.Build(Job, 1), default);
            await before.ReserveAsync(Job, new CheckpointId(2), default);
        }

        using var after = Storage();

        Assert.Equal(new CheckpointId(2), await after.HighestIdAsync(Job, default));
        Assert.Equal(new CheckpointId(1), (await after.LatestAsync(Job, default)).Checkpoint!.Id);
        Assert.Equal(["chk-1"], CheckpointDirectoryNames());
    }

    [Fact]
    public async Task HighestId_CountsCheckpointsAndSavepointsCommittedWithoutReservation()
    {
        using var storage = Storage();
        Assert.Equal(CheckpointId.None, await storage.HighestIdAsync(Job, default));

        await storage.CommitAsync(CheckpointSamples.Build(Job, 3), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 5, CheckpointKind.Savepoint), default);
        await storage.ReserveAsync(Job, new CheckpointId(4), default);

        using var restarted = Storage();
        Assert.Equal(new CheckpointId(5), await restarted.HighestIdAsync(Job, default));
    }

    [Fact]
    public async Task Reserve_NeverLowersTheHighestId()
    {
        using var storage = Storage();
        await storage.ReserveAsync(Job, new CheckpointId(9), default);
        await storage.ReserveAsync(Job, new CheckpointId(3), default);

        Assert.Equal("9\n", await File.ReadAllTextAsync(_temp.Combine("checkpoints", Job, "_highest-id")));
        Assert.Equal(new CheckpointId(9), await storage.HighestIdAsync(Job, default));
    }

    [Fact]
    public async Task HighestIdFile_Unreadable_FailsLoudlyInsteadOfGuessing()
    {
        using var storage = Storage();
        await storage.ReserveAsync(Job, new CheckpointId(2), default);
        await File.WriteAllTextAsync(_temp.Combine("checkpoints", Job, "_highest-id"), "garbage");

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await storage.HighestIdAsync(Job, default));

        Assert.Contains("_highest-id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_AnIdAlreadyCompleted_Fails()
    {
        using var storage = Storage();
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default));
        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await storage.CommitAsync(CheckpointSamples.Build(Job, 1, CheckpointKind.Savepoint), default));
    }

    [Fact]
    public async Task Jobs_AreIsolatedFromEachOther()
    {
        using var storage = Storage(numRetained: 1);
        await storage.CommitAsync(CheckpointSamples.Build("a", 1), default);
        await storage.CommitAsync(CheckpointSamples.Build("b", 2), default);

        Assert.Equal(new CheckpointId(1), (await storage.LatestAsync("a", default)).Checkpoint!.Id);
        Assert.Equal(new CheckpointId(1), await storage.HighestIdAsync("a", default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData(" padded")]
    public async Task JobName_ThatCannotBeADirectory_IsRefused(string job)
    {
        using var storage = Storage();

        await Assert.ThrowsAsync<ArgumentException>(async () => await storage.HighestIdAsync(job, default));
    }

    [Theory]
    [InlineData("", "CheckpointDirectory")]
    [InlineData("s3://bucket/checkpoints", "CheckpointDirectory")]
    public void Options_BadDirectory_NamesTheSetting(string directory, string setting)
    {
        var error = Assert.Throws<ArgumentException>(() => new FileSystemCheckpointStorage(new CheckpointStorageOptions(directory)));

        Assert.Contains("CheckpointStorageOptions." + setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_BadSettings_NameTheSetting()
    {
        var retained = Assert.Throws<ArgumentException>(() => new CheckpointStorageOptions(_temp.Path, NumRetained: 0).Validate());
        var savepoints = Assert.Throws<ArgumentException>(() => new CheckpointStorageOptions(_temp.Path, SavepointDirectory: " ").Validate());
        var retention = Assert.Throws<ArgumentException>(() => new CheckpointStorageOptions(_temp.Path, Retention: (CheckpointRetention)7).Validate());

        Assert.Contains("CheckpointStorageOptions.NumRetained", retained.Message, StringComparison.Ordinal);
        Assert.Contains("CheckpointStorageOptions.SavepointDirectory", savepoints.Message, StringComparison.Ordinal);
        Assert.Contains("CheckpointStorageOptions.Retention", retention.Message, StringComparison.Ordinal);
    }

    private FileSystemCheckpointStorage Storage(int numRetained = 3, CheckpointRetention retention = CheckpointRetention.RetainOnCancellation) =>
        new(new CheckpointStorageOptions(_temp.Combine("checkpoints"), _temp.Combine("savepoints"), numRetained, retention));

    private List<string> CheckpointDirectoryNames()
    {
        var job = _temp.Combine("checkpoints", Job);
        return Directory.Exists(job)
            ? [.. Directory.GetDirectories(job, "chk-*").Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)]
            : [];
    }
}
