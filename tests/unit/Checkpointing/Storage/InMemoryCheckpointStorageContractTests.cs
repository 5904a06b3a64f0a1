using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Unit.Checkpointing.Storage;

public sealed class InMemoryCheckpointStorageContractTests : CheckpointStorageContractTests
{
    protected override ICheckpointStorage Storage(int numRetained = 3) =>
        new InMemoryCheckpointStorage(new InMemoryCheckpointStorageOptions(NumRetained: numRetained));
}
