using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Unit.Checkpointing.Storage;

public sealed class FileSystemCheckpointStorageLayoutTests : IDisposable
{
    private const string Job = "orders";
    private readonly TempDirectory _temp = new();
    private readonly FileSystemCheckpointStorage _storage;

    public FileSystemCheckpointStorageLayoutTests()
    {
        _storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_temp.Combine("checkpoints"), _temp.Combine("savepoints")));
    }

    public void Dispose()
    {
        _storage.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Commit_WritesFlinkLayoutWithOneStateFilePerOperatorSubtask()
    {
        var handle = await _storage.CommitAsync(CheckpointSamples.Build(Job, 7), default);

        var chk = _temp.Combine("checkpoints", Job, "chk-7");
        Assert.Equal(chk, handle.Location);
        Assert.True(Directory.Exists(_temp.Combine("checkpoints", Job, "shared")));
        Assert.True(Directory.Exists(_temp.Combine("checkpoints", Job, "taskowned")));
        var files = Directory.GetFiles(chk).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(7, files.Count);
        Assert.Contains("_metadata", files);
        Assert.Contains("kafka-source-0.state", files);
        Assert.Contains("kafka-source-1.state", files);
        Assert.Contains("pg-sink-0.state", files);
        Assert.Equal(3, files.Count(f => f!.StartsWith("tumbling_window_1_min-", StringComparison.Ordinal) && f.EndsWith(".state", StringComparison.Ordinal)));
        Assert.DoesNotContain(files, f => f!.EndsWith(".inprogress", StringComparison.Ordinal));
        Assert.Equal(Directory.GetFiles(chk).Sum(f => new FileInfo(f).Length), handle.SizeInBytes);
    }

    [Fact]
    public async Task Metadata_IsVersionedJsonFollowedByTheSha256OfItsBytes()
    {
        await _storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);

        var bytes = await File.ReadAllBytesAsync(_temp.Combine("checkpoints", Job, "chk-1", "_metadata"));
        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines[0]))), lines[1]);
        using var json = JsonDocument.Parse(lines[0]);
        Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
        Assert.Equal("Checkpoint", json.RootElement.GetProperty("kind").GetString());
        var window = json.RootElement.GetProperty("operators").EnumerateArray().Single(o => o.GetProperty("uid").GetString() == "tumbling window/1 min");
        var subtask0 = window.GetProperty("subtasks")[0];
        var stateFile = _temp.Combine("checkpoints", Job, "chk-1", subtask0.GetProperty("file").GetString()!);
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(stateFile))),
            subtask0.GetProperty("sha256").GetString());
        Assert.Equal([0, 42], subtask0.GetProperty("keyGroups").EnumerateArray().Select(g => g.GetProperty("keyGroup").GetInt32()));
    }

    [Fact]
    public async Task RoundTrip_SeveralOperatorsSubtasksAndKeyGroups_IsByteExact()
    {
        var data = CheckpointSamples.Build(Job, 3, keyedBytes: 70_000);
        await _storage.CommitAsync(data, default);

        using var restarted = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_temp.Combine("checkpoints")));
        var latest = await restarted.LatestAsync(Job, default);

        Assert.Empty(latest.Skipped);
        CheckpointSamples.AssertEqual(data, latest.Checkpoint!);
        Assert.Null(latest.Checkpoint!.Operators["tumbling window/1 min"].Subtasks[1].OperatorState);
        Assert.Empty(latest.Checkpoint.Operators["kafka-source"].Subtasks[1].OperatorState!);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("{0}/")]
    [InlineData("{0}/_metadata")]
    [InlineData("file://{0}")]
    public async Task Load_ByEachLocationForm_ReturnsTheCheckpoint(string form)
    {
        await _storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await _storage.CommitAsync(CheckpointSamples.Build(Job, 2), default);

        var loaded = await _storage.LoadAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, form, _temp.Combine("checkpoints", Job, "chk-1")), default);

        CheckpointSamples.AssertEqual(CheckpointSamples.Build(Job, 1), loaded);
    }

    [Fact]
    public async Task Savepoint_IsSelfContainedAndRestorableAfterBeingMoved()
    {
        var handle = await _storage.CommitAsync(CheckpointSamples.Build(Job, 4, CheckpointKind.Savepoint), default);

        Assert.Equal(_temp.Combine("savepoints", Job), Path.GetDirectoryName(handle.Location));
        Assert.Matches("^savepoint-4-[0-9a-f]{8}$", Path.GetFileName(handle.Location));
        var moved = _temp.Combine("elsewhere");
        Directory.Move(handle.Location, moved);
        using var other = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_temp.Combine("unrelated")));
        CheckpointSamples.AssertEqual(CheckpointSamples.Build(Job, 4, CheckpointKind.Savepoint), await other.LoadAsync(moved, default));
    }

    [Fact]
    public async Task Savepoint_IsListed_AndIsTheLatestRestorePointWhenNewest()
    {
        await _storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await _storage.CommitAsync(CheckpointSamples.Build(Job, 2, CheckpointKind.Savepoint), default);

        var handles = await _storage.ListAsync(Job, default);

        Assert.Equal([(1L, CheckpointKind.Checkpoint), (2L, CheckpointKind.Savepoint)], handles.Select(h => (h.Id.Value, h.Kind)));
        Assert.Equal(new CheckpointId(2), (await _storage.LatestAsync(Job, default)).Checkpoint!.Id);
        Assert.Equal(new CheckpointId(2), await _storage.HighestIdAsync(Job, default));
    }

    [Fact]
    public async Task Savepoint_WithoutSavepointDirectory_FailsNamingTheSetting()
    {
        using var storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(_temp.Combine("checkpoints")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await storage.CommitAsync(CheckpointSamples.Build(Job, 1, CheckpointKind.Savepoint), default));

        Assert.Contains("CheckpointStorageOptions.SavepointDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_OperatorUidsThatSanitiseAlike_GetDistinctFiles()
    {
        var data = CheckpointSamples.Build(Job, 1);
        var ops = data.Operators.ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        ops["a/b"] = ops["pg-sink"];
        ops["a_b"] = ops["pg-sink"];
        ops["a:b"] = ops["pg-sink"];
        data = data with { Operators = ops };

        await _storage.CommitAsync(data, default);

        CheckpointSamples.AssertEqual(data, (await _storage.LatestAsync(Job, default)).Checkpoint!);
        Assert.Equal(3 + 7, Directory.GetFiles(_temp.Combine("checkpoints", Job, "chk-1")).Length);
    }

    [Fact]
    public async Task Commit_FailingHalfWay_LeavesNoDirectoryAndLatestUnchanged()
    {
        var collidingUid = StateFileNames.For("a/b", 0)[..^"-0.state".Length];
        var data = CheckpointSamples.Build(Job, 2);
        var ops = data.Operators.ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        ops["a/b"] = ops["pg-sink"];
        ops[collidingUid] = ops["pg-sink"];
        await _storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _storage.CommitAsync(data with { Operators = ops }, default));

        Assert.False(Directory.Exists(_temp.Combine("checkpoints", Job, "chk-2")));
        Assert.Equal(new CheckpointId(1), (await _storage.LatestAsync(Job, default)).Checkpoint!.Id);
    }

    [Fact]
    public void FlushDirectory_OnARealDirectory_Succeeds_AndOnAMissingOneFails()
    {
        DurableFiles.FlushDirectory(_temp.Path);

        Assert.Throws<IOException>(() => DurableFiles.FlushDirectory(_temp.Combine("missing")));
    }
}
