using System.Globalization;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.State;

namespace Etl.Tests.Host;

/// <summary>
/// Reserves and commits checkpoints into a file-system storage as fast as it can, printing
/// <c>reserved n</c> and <c>committed n</c> after each step returns, until killed. The crash test kills it
/// at random instants and checks what a restarted storage sees. Args: checkpoint directory, job name.
/// </summary>
internal sealed class CheckpointStorageCommitLoopScenario : IHostScenario
{
    public string Name => "checkpoint-storage-commit-loop";

    /// <summary>The content of checkpoint <paramref name="id"/>; tests/integration CrashCheckpointContent holds the same, to verify it.</summary>
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

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var storage = new FileSystemCheckpointStorage(new CheckpointStorageOptions(args[0]));
        var job = args[1];
        var stdout = Console.Out;
        while (!cancellationToken.IsCancellationRequested)
        {
            var id = (await storage.HighestIdAsync(job, cancellationToken)).Next();
            await storage.ReserveAsync(job, id, cancellationToken);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"reserved {id}"));
            await stdout.FlushAsync(cancellationToken);
            await storage.CommitAsync(Build(job, id.Value), cancellationToken);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"committed {id}"));
            await stdout.FlushAsync(cancellationToken);
        }

        return 0;
    }
}
