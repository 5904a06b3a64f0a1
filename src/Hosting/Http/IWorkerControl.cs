using Etl.Pipeline.Checkpointing;

namespace Etl.Hosting.Http;

/// <summary>What the worker endpoint can ask of the running job.</summary>
internal interface IWorkerControl
{
    /// <summary>True once the job restored its state (or started fresh) and is processing.</summary>
    bool IsReady { get; }

    /// <summary>True while this worker is a standby waiting for the job lock (it runs nothing and writes nothing).</summary>
    bool IsStandby { get; }

    /// <summary>A short status for GET /status.</summary>
    WorkerStatus Status { get; }

    /// <summary>The recent checkpoints and attempts (the job page's history), across the worker's runs.</summary>
    CheckpointHistory History { get; }

    /// <summary>Why the current or last attempt failed; null while it runs without a failure.</summary>
    Exception? LatestFailure { get; }

    /// <summary>Takes a savepoint and returns once it is durable.</summary>
    Task<SavepointResult> TriggerSavepointAsync(CancellationToken cancellationToken);

    /// <summary>Takes a final savepoint, commits it and stops the job.</summary>
    Task<SavepointResult> StopWithSavepointAsync(CancellationToken cancellationToken);
}
