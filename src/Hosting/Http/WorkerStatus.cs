namespace Etl.Hosting.Http;

/// <summary>The job as GET /status shows it.</summary>
internal sealed record WorkerStatus(string Job, string State, int Attempt, long LastCompletedCheckpoint, string? LastCompletedLocation, string? LastFailure, int ProcessId);
