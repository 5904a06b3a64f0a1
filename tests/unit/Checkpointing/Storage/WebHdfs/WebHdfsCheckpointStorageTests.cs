using Etl.CheckpointStorage;
using Etl.CheckpointStorage.WebHdfs;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Unit.Checkpointing.Storage.WebHdfs;

/// <summary>HA failover, the rename commit point and unclear failures of the WebHDFS storage, on the stand-in.</summary>
public sealed class WebHdfsCheckpointStorageTests : IDisposable
{
    private const string Job = "orders";
    private static readonly string Root = $"hdfs://{WebHdfsStandIn.Nameservice}/flink/checkpoints";
    private readonly WebHdfsStandIn _hdfs = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _hdfs.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task ActiveNamenodeSwitchesAndTheFirstDies_CommitsAndRestoresContinueOnTheOther()
    {
        using var storage = Storage();
        for (var id = 1; id <= 6; id++)
        {
            if (id == 3)
            {
                _hdfs.Active = 1;
            }

            if (id == 5)
            {
                _hdfs.Kill(0);
            }

            await storage.CommitAsync(CheckpointSamples.Build(Job, id), default);
        }

        var latest = await storage.LatestAsync(Job, default);
        CheckpointSamples.AssertEqual(CheckpointSamples.Build(Job, 6), latest.Checkpoint!);
        Assert.Equal([4L, 5L, 6L], (await storage.ListAsync(Job, default)).Select(h => h.Id.Value));
        Assert.Equal($"{Root}/{Job}/chk-6", (await storage.ListAsync(Job, default))[^1].Location);
    }

    [Fact]
    public async Task RenameAnswerLost_CommitIsCheckedNotRepeated_AndExactlyOneMetadataRemains()
    {
        using var storage = Storage();
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);

        _hdfs.DropNextRenameAnswer();
        var handle = await storage.CommitAsync(CheckpointSamples.Build(Job, 2), default);

        Assert.Equal($"{Root}/{Job}/chk-2", handle.Location);
        var files = _hdfs.Files($"/flink/checkpoints/{Job}/chk-2/");
        Assert.Contains($"/flink/checkpoints/{Job}/chk-2/_metadata", files);
        Assert.DoesNotContain(files, f => f.Contains(".inprogress", StringComparison.Ordinal));
        CheckpointSamples.AssertEqual(CheckpointSamples.Build(Job, 2), await storage.LoadAsync(handle.Location, default));
    }

    [Fact]
    public async Task StateWriteAnswerLost_TheWrittenFileIsCheckedAndKept()
    {
        using var storage = Storage();

        _hdfs.DropNextCreateAnswer();
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);

        CheckpointSamples.AssertEqual(CheckpointSamples.Build(Job, 1), (await storage.LatestAsync(Job, default)).Checkpoint!);
    }

    [Fact]
    public async Task TwoWritersRaceForOneCheckpoint_ExactlyOneWins()
    {
        using var first = Storage();
        using var second = Storage();
        for (var round = 1; round <= 5; round++)
        {
            var mine = CheckpointSamples.Build(Job, round);
            var theirs = CheckpointSamples.Build(Job, round, keyedBytes: 40);
            var results = await Task.WhenAll(Attempt(first, mine), Attempt(second, theirs));

            Assert.Single(results, r => r);
            var stored = (await first.LatestAsync(Job, default)).Checkpoint!;
            CheckpointSamples.AssertEqual(results[0] ? mine : theirs, stored);
        }
    }

    [Fact]
    public async Task CorruptStateFile_IsSkippedForTheOlderCheckpoint()
    {
        using var storage = Storage();
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 2), default);
        var state = _hdfs.Files($"/flink/checkpoints/{Job}/chk-2/").First(f => f.EndsWith(".state", StringComparison.Ordinal));
        _hdfs.Corrupt(state, bytes => [.. bytes.Take(bytes.Length - 1)]);

        var latest = await storage.LatestAsync(Job, default);

        Assert.Equal(new CheckpointId(1), latest.Checkpoint!.Id);
        Assert.Contains("has", Assert.Single(latest.Skipped).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nameservice_IsReadFromHdfsSiteXmlInTheConfDirectory()
    {
        var xml = string.Concat(_hdfs.Properties.Select(p => $"<property><name>{p.Key}</name><value>{p.Value}</value></property>"));
        await File.WriteAllTextAsync(_temp.Combine("hdfs-site.xml"), $"<?xml version=\"1.0\"?><configuration>{xml}</configuration>");
        using var storage = (IDisposable)CheckpointStorageFactory.Create(
            new CheckpointStorageOptions(Root), hdfs: new WebHdfsStorageOptions(ConfDirectory: _temp.Path, FailoverBackoff: TimeSpan.Zero));

        await ((ICheckpointStorage)storage).CommitAsync(CheckpointSamples.Build(Job, 1), default);

        Assert.Contains($"/flink/checkpoints/{Job}/chk-1/_metadata", _hdfs.Files("/flink/"));
    }

    [Fact]
    public void UnknownNameservice_IsRefusedNamingTheKeys()
    {
        var error = Assert.Throws<ArgumentException>(() => CheckpointStorageFactory.Create(
            new CheckpointStorageOptions("hdfs://other/checkpoints"), hdfs: new WebHdfsStorageOptions(Properties: _hdfs.Properties)));

        Assert.Contains("dfs.nameservices", error.Message, StringComparison.Ordinal);
        Assert.Contains("dfs.ha.namenodes.other", error.Message, StringComparison.Ordinal);
    }

    private static async Task<bool> Attempt(ObjectStoreCheckpointStorage storage, CheckpointData data)
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

    private ObjectStoreCheckpointStorage Storage() => (ObjectStoreCheckpointStorage)CheckpointStorageFactory.Create(
        new CheckpointStorageOptions(Root, $"hdfs://{WebHdfsStandIn.Nameservice}/flink/savepoints"),
        hdfs: new WebHdfsStorageOptions(
            Properties: _hdfs.Properties, User: "etl", FailoverBackoff: TimeSpan.FromMilliseconds(1), RequestTimeout: WebHdfsStandIn.DropDelay / 3));
}
