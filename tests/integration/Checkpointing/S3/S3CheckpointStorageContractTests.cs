using Etl.Pipeline.Checkpointing;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Checkpointing.Storage;

namespace Etl.Tests.Integration.Checkpointing.S3;

/// <summary>The storage contract on the S3 storage, against a real S3 gateway (the local Ceph radosgw, or ETL_S3_ENDPOINTS).</summary>
public sealed class S3CheckpointStorageContractTests : CheckpointStorageContractTests, IDisposable
{
    private readonly string _root = TestS3.NewRoot("contract");
    private readonly List<IDisposable> _storages = [];

    public void Dispose() => _storages.ForEach(s => s.Dispose());

    protected override ICheckpointStorage Storage(int numRetained = 3)
    {
        var storage = TestS3.Storage(_root, numRetained);
        _storages.Add((IDisposable)storage);
        return storage;
    }
}
