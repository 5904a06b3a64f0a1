using Etl.Pipeline;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Faults;

namespace Etl.Tests.Unit.Checkpointing.Storage;

/// <summary>
/// The rename of <c>_metadata</c> is a checkpoint's commit point (DESIGN 5): what fails after it must not report the
/// checkpoint failed, because it is restorable and the next start restores it. And savepoints are restore points.
/// </summary>
public sealed class FileSystemCheckpointStorageCommitPointTests : IDisposable
{
    private const string Job = "orders";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task FailureAfterTheRename_DirectoryFlushOrRetention_StillReturnsTheCommittedCheckpoint()
    {
        var faults = new ThrowingFaults(FaultPoint.AfterMetadataRename);
        using var storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_temp.Combine("checkpoints")), faults: faults);

        var handle = await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);

        Assert.Equal(1, faults.Thrown);
        Assert.Equal(new CheckpointId(1), handle.Id);
        Assert.Equal(new CheckpointId(1), (await storage.LatestAsync(Job, default)).Checkpoint!.Id);
    }

    [Fact]
    public async Task Latest_IsTheNewestOfCheckpointsAndSavepoints()
    {
        using var storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_temp.Combine("checkpoints"), _temp.Combine("savepoints")));
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        var savepoint = await storage.CommitAsync(CheckpointSamples.Build(Job, 2, CheckpointKind.Savepoint), default);

        var latest = await storage.LatestAsync(Job, default);
        Assert.Equal(new CheckpointId(2), latest.Checkpoint!.Id);
        Assert.Equal(CheckpointKind.Savepoint, latest.Checkpoint.Kind);

        await storage.CommitAsync(CheckpointSamples.Build(Job, 3), default);
        Assert.Equal(new CheckpointId(3), (await storage.LatestAsync(Job, default)).Checkpoint!.Id);

        // A torn savepoint is reported like a torn checkpoint.
        File.Delete(Path.Combine(_temp.Combine("checkpoints", Job, "chk-3"), "_metadata"));
        await File.WriteAllTextAsync(Path.Combine(savepoint.Location, "_metadata"), "torn");
        var fallback = await storage.LatestAsync(Job, default);
        Assert.Equal(new CheckpointId(1), fallback.Checkpoint!.Id);
        Assert.Equal(savepoint.Location, Assert.Single(fallback.Skipped).Location);
    }

    private sealed class ThrowingFaults(FaultPoint point) : IFaultInjector
    {
        public int Thrown { get; private set; }

        public void Reach(FaultPoint reached)
        {
            if (reached == point)
            {
                Thrown++;
                throw new IOException($"injected at {reached}: fsync of the directory failed");
            }
        }
    }
}
