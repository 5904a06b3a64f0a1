using System.Globalization;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Host;

/// <summary>
/// Reserves and commits checkpoints into a file-system storage as fast as it can, printing
/// <c>reserved n</c> and <c>committed n</c> after each step returns, until killed. The crash test kills it
/// at random instants and checks what a restarted storage sees. Args: checkpoint directory, job name.
/// </summary>
internal sealed class CheckpointStorageCommitLoopScenario : IHostScenario
{
    public string Name => "checkpoint-storage-commit-loop";

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
            await storage.CommitAsync(CrashCheckpointContent.Build(job, id.Value), cancellationToken);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"committed {id}"));
            await stdout.FlushAsync(cancellationToken);
        }

        return 0;
    }
}
