using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Etl.CheckpointStorage;
using Etl.CheckpointStorage.S3;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Faults;

namespace Etl.Tests.Host;

/// <summary>
/// Reserves and commits checkpoints as fast as it can, printing <c>reserved n</c> and <c>committed n</c> after each step
/// returns, until killed. The crash test kills it at random instants and checks what a restarted storage sees.
/// Args: checkpoint directory (a path, or <c>s3://bucket/prefix</c> on the store of <c>ETL_S3_ENDPOINTS</c> with the
/// standard AWS credentials), job name, and optionally N: SIGKILL itself at the N-th pass between the state objects and
/// <c>_metadata</c>.
/// </summary>
internal sealed class CheckpointStorageCommitLoopScenario : IHostScenario
{
    public string Name => "checkpoint-storage-commit-loop";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var endpoints = Environment.GetEnvironmentVariable("ETL_S3_ENDPOINTS")?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        IFaultInjector faults = args.Length > 2 ? new KillAt(FaultPoint.BeforeMetadataCommit, int.Parse(args[2], CultureInfo.InvariantCulture)) : FaultInjector.None;
        using var storage = (IDisposable)CheckpointStorageFactory.Create(
            new CheckpointStorageOptions(args[0]),
            new S3StorageOptions(endpoints, Credentials: new EnvironmentVariablesAWSCredentials()),
            faults: faults);
        var checkpoints = (Etl.Pipeline.Checkpointing.ICheckpointStorage)storage;
        var job = args[1];
        var stdout = Console.Out;
        while (!cancellationToken.IsCancellationRequested)
        {
            var id = (await checkpoints.HighestIdAsync(job, cancellationToken)).Next();
            await checkpoints.ReserveAsync(job, id, cancellationToken);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"reserved {id}"));
            await stdout.FlushAsync(cancellationToken);
            await checkpoints.CommitAsync(CrashCheckpointContent.Build(job, id.Value), cancellationToken);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"committed {id}"));
            await stdout.FlushAsync(cancellationToken);
        }

        return 0;
    }

    /// <summary>SIGKILLs this process (no cleanup, as a real crash) at the N-th pass of one fault point.</summary>
    private sealed class KillAt(FaultPoint point, int occurrence) : IFaultInjector
    {
        private int _reached;

        public void Reach(FaultPoint reached)
        {
            if (reached == point && Interlocked.Increment(ref _reached) == occurrence)
            {
                Console.Out.Flush();
                Process.GetCurrentProcess().Kill();
            }
        }
    }
}
