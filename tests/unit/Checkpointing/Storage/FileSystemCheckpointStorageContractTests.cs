using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Unit.Checkpointing.Storage;

public sealed class FileSystemCheckpointStorageContractTests : CheckpointStorageContractTests, IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<FileSystemCheckpointStorage> _storages = [];

    public void Dispose()
    {
        _storages.ForEach(s => s.Dispose());
        _temp.Dispose();
    }

    protected override ICheckpointStorage Storage(int numRetained = 3)
    {
        var storage = new FileSystemCheckpointStorage(
            new CheckpointStorageOptions(_temp.Combine("checkpoints"), _temp.Combine("savepoints"), numRetained));
        _storages.Add(storage);
        return storage;
    }
}
