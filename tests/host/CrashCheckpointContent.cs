using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.State;

namespace Etl.Tests.Host;

/// <summary>
/// What the <c>checkpoint-storage-commit-loop</c> scenario commits as checkpoint n. Also compiled into
/// tests/integration (linked there), whose crash test checks what a restarted storage reads against it.
/// </summary>
internal static class CrashCheckpointContent
{
    public static CheckpointData Build(string job, long id)
    {
        byte[] Bytes(int slot, int length) => [.. Enumerable.Range(0, length).Select(i => (byte)((id * 13) + (slot * 5) + i))];
        return new CheckpointData(job, new CheckpointId(id), CheckpointKind.Checkpoint, id, new Dictionary<string, OperatorCheckpoint>
        {
            ["source"] = new(2, 128, [OperatorSnapshot.Of(Bytes(1, 64)), OperatorSnapshot.Of(Bytes(2, 64))]),
            ["window"] = new(2, 128, [
                new OperatorSnapshot(null, [new KeyGroupState(3, Bytes(3, 4096)), new KeyGroupState(60, Bytes(4, 100))]),
                new OperatorSnapshot(Bytes(5, 10), [new KeyGroupState(64, Bytes(6, 8192))]),
            ]),
        });
    }
}
