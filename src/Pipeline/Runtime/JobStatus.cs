namespace Etl.Pipeline.Runtime;

/// <summary>A point-in-time view of a job for health checks and metrics.</summary>
/// <param name="LastCompleted">The newest checkpoint or savepoint completed in this run, or <see cref="CheckpointId.None"/>.</param>
/// <param name="LastCompletedLocation">Where it is stored.</param>
public sealed record JobStatus(JobState State, int Attempt, CheckpointId LastCompleted, string? LastCompletedLocation, Exception? LastFailure);
