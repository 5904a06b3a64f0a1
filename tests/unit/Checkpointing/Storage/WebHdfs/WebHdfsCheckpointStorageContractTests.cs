using Etl.CheckpointStorage;
using Etl.CheckpointStorage.WebHdfs;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Unit.Checkpointing.Storage.WebHdfs;

/// <summary>The storage contract on the WebHDFS storage, against the in-process stand-in with its active namenode second.</summary>
public sealed class WebHdfsCheckpointStorageContractTests : CheckpointStorageContractTests, IDisposable
{
    private readonly WebHdfsStandIn _hdfs = new() { Active = 1 };
    private readonly List<IDisposable> _storages = [];

    public void Dispose()
    {
        _storages.ForEach(s => s.Dispose());
        _hdfs.Dispose();
    }

    protected override ICheckpointStorage Storage(int numRetained = 3)
    {
        var storage = CheckpointStorageFactory.Create(
            new CheckpointStorageOptions($"hdfs://{WebHdfsStandIn.Nameservice}/flink/checkpoints", $"hdfs://{WebHdfsStandIn.Nameservice}/flink/savepoints", numRetained),
            hdfs: new WebHdfsStorageOptions(Properties: _hdfs.Properties, User: "etl", FailoverBackoff: TimeSpan.FromMilliseconds(1)));
        _storages.Add((IDisposable)storage);
        return storage;
    }
}
