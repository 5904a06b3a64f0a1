using Etl.Pipeline;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Unit.Checkpointing.Storage;

public sealed class FileSystemCheckpointStorageCorruptionTests : IDisposable
{
    private const string Job = "orders";
    private readonly TempDirectory _temp = new();
    private readonly FileSystemCheckpointStorage _storage;

    public FileSystemCheckpointStorageCorruptionTests()
    {
        _storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_temp.Combine("checkpoints"), NumRetained: 3));
    }

    public void Dispose()
    {
        _storage.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task FlippedByteInAStateFile_LatestFallsBackToThePreviousAndReportsIt()
    {
        await CommitAsync(1, 2);
        var file = Chk(2, "tumbling_window_1_min-5430636a-0.state");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[3] ^= 0x01;
        await File.WriteAllBytesAsync(file, bytes);

        var latest = await _storage.LatestAsync(Job, default);

        Assert.Equal(new CheckpointId(1), latest.Checkpoint!.Id);
        var skipped = Assert.Single(latest.Skipped);
        Assert.Equal(Chk(2), skipped.Location);
        Assert.Contains("tumbling_window_1_min-5430636a-0.state", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains("hashes to", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedMetadata_LatestFallsBackAndListHidesIt()
    {
        await CommitAsync(1, 2, 3);
        var metadata = Chk(3, "_metadata");
        var bytes = await File.ReadAllBytesAsync(metadata);
        await File.WriteAllBytesAsync(metadata, bytes[..(bytes.Length / 2)]);

        var latest = await _storage.LatestAsync(Job, default);

        Assert.Equal(new CheckpointId(2), latest.Checkpoint!.Id);
        Assert.Contains("truncated", Assert.Single(latest.Skipped).Reason, StringComparison.Ordinal);
        Assert.Equal([1L, 2L], (await _storage.ListAsync(Job, default)).Select(h => h.Id.Value));
    }

    [Fact]
    public async Task MetadataEditedWithoutItsChecksum_IsCorrupt()
    {
        await CommitAsync(1, 2);
        var metadata = Chk(2, "_metadata");
        var text = await File.ReadAllTextAsync(metadata);
        await File.WriteAllTextAsync(metadata, text.Replace("\"parallelism\":2", "\"parallelism\":3", StringComparison.Ordinal));

        var latest = await _storage.LatestAsync(Job, default);

        Assert.Equal(new CheckpointId(1), latest.Checkpoint!.Id);
        Assert.Contains("checksum mismatch", Assert.Single(latest.Skipped).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingStateFile_IsCorrupt()
    {
        await CommitAsync(1, 2);
        File.Delete(Chk(2, "pg-sink-0.state"));

        var latest = await _storage.LatestAsync(Job, default);

        Assert.Equal(new CheckpointId(1), latest.Checkpoint!.Id);
        Assert.Contains("missing", Assert.Single(latest.Skipped).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRetainedCheckpointCorrupt_LatestReturnsNoneAndReportsAll()
    {
        await CommitAsync(1, 2);
        await File.WriteAllTextAsync(Chk(1, "_metadata"), "");
        await File.WriteAllTextAsync(Chk(2, "pg-sink-0.state"), "x");

        var latest = await _storage.LatestAsync(Job, default);

        Assert.Null(latest.Checkpoint);
        Assert.Equal([Chk(2), Chk(1)], latest.Skipped.Select(s => s.Location));
    }

    [Fact]
    public async Task Load_ExplicitCorruptLocation_ThrowsWithPathAndReasonInsteadOfFallingBack()
    {
        await CommitAsync(1, 2);
        var file = Chk(2, "kafka-source-0.state");
        await File.WriteAllBytesAsync(file, (await File.ReadAllBytesAsync(file))[1..]);

        var error = await Assert.ThrowsAsync<CorruptCheckpointException>(async () => await _storage.LoadAsync(Chk(2), default));

        Assert.Equal(Chk(2), error.Location);
        Assert.Contains("kafka-source-0.state", error.Reason, StringComparison.Ordinal);
        Assert.Contains(Chk(2), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyMetadataInProgress_IsNeverVisible()
    {
        await CommitAsync(1, 2);
        File.Move(Chk(2, "_metadata"), Chk(2, "_metadata.inprogress"));

        var latest = await _storage.LatestAsync(Job, default);

        Assert.Equal(new CheckpointId(1), latest.Checkpoint!.Id);
        Assert.Empty(latest.Skipped);
        Assert.Equal([1L], (await _storage.ListAsync(Job, default)).Select(h => h.Id.Value));
        await Assert.ThrowsAsync<CheckpointNotFoundException>(async () => await _storage.LoadAsync(Chk(2), default));
        Assert.Equal(new CheckpointId(2), await _storage.HighestIdAsync(Job, default));
    }

    [Fact]
    public async Task CheckpointDirectoryWithoutMetadata_IsNeverVisibleButItsIdCounts()
    {
        await CommitAsync(1);
        Directory.CreateDirectory(Chk(5));
        await File.WriteAllTextAsync(Chk(5, "pg-sink-0.state"), "partial");

        Assert.Equal(new CheckpointId(1), (await _storage.LatestAsync(Job, default)).Checkpoint!.Id);
        Assert.Single(await _storage.ListAsync(Job, default));
        await Assert.ThrowsAsync<CheckpointNotFoundException>(async () => await _storage.LoadAsync(Chk(5, "_metadata"), default));
        Assert.Equal(new CheckpointId(5), await _storage.HighestIdAsync(Job, default));
    }

    [Fact]
    public async Task Load_MissingLocation_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<CheckpointNotFoundException>(async () => await _storage.LoadAsync(Chk(9), default));

        Assert.Equal(Chk(9), error.Location);
    }

    private async Task CommitAsync(params long[] ids)
    {
        foreach (var id in ids)
        {
            await _storage.CommitAsync(CheckpointSamples.Build(Job, id), default);
        }
    }

    private string Chk(long id, params string[] rest) =>
        _temp.Combine([.. new[] { "checkpoints", Job, "chk-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, .. rest]);
}
