using Etl.Pipeline.Restart;

namespace Etl.Hosting.Configuration;

/// <summary>
/// The host's settings of <c>etl run</c> (section <c>Etl</c> of appsettings.json, environment variables
/// <c>Etl__Section__Key</c>, and the command line); the job reads its own settings (for example Etl:Kafka). Built and validated by
/// <see cref="WorkerOptionsReader"/>; README "Configuration" lists every key with its default.
/// </summary>
internal sealed record WorkerOptions
{
    /// <summary>The stable job name: checkpoint paths, transaction ids and the worker lock derive from it.</summary>
    public string JobName { get; init; } = "";

    /// <summary>Subtasks of every operator; at most the number of partitions is useful.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Number of key groups; fixed for the life of the job's state.</summary>
    public int MaxParallelism { get; init; } = 128;

    /// <summary>A checkpoint or savepoint to restore from; empty = the newest checkpoint or savepoint of the job, if any.</summary>
    public string FromCheckpoint { get; init; } = "";

    /// <summary>
    /// Start from nothing although checkpoints, savepoints or committed epochs (sink markers) of the job exist; without
    /// it such a start is refused. Checkpoint ids continue after the highest one seen in storage or in the markers.
    /// </summary>
    public bool StartFresh { get; init; }

    public bool AllowNonRestoredState { get; init; }

    /// <summary>Stop (with a final checkpoint) once the input read at start-up has been consumed.</summary>
    public bool StopAtEnd { get; init; }

    /// <summary>
    /// Start as a standby: wait for the job lock for as long as another worker holds it (instead of exiting 2), then
    /// take over from the newest restore point in the shared checkpoint storage.
    /// </summary>
    public bool Standby { get; init; }

    public CheckpointSettings Checkpoints { get; init; } = new();

    /// <summary>Etl:Restart: the runtime's own restart options, read by key.</summary>
    public RestartStrategyOptions Restart { get; init; } = new() { FixedDelay = new FixedDelayRestartOptions { Attempts = 3 } };

    public HttpSettings Http { get; init; } = new();

    public string SavepointDirectory => Checkpoints.SavepointDirectory.Length > 0
        ? Checkpoints.SavepointDirectory
        : Path.Combine(Checkpoints.Directory, "savepoints");
}
