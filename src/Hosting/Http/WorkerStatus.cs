namespace Etl.Hosting.Http;

/// <summary>The job as GET /status shows it; <paramref name="ActiveWorker"/> is the holder of the job lock a standby waits for (null otherwise).</summary>
internal sealed record WorkerStatus(
    string Job, string State, int Attempt, long LastCompletedCheckpoint, string? LastCompletedLocation, string? LastFailure, int ProcessId, string? ActiveWorker = null);
