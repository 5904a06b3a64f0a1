namespace Etl.Pipeline.Runtime;

/// <summary>A failed job attempt, as a restart strategy sees it.</summary>
/// <param name="Attempt">The attempt that failed, 1-based.</param>
/// <param name="At">When it failed.</param>
public sealed record JobFailure(Exception Error, int Attempt, DateTimeOffset At);
