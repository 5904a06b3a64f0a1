namespace Etl.Pipeline.Runtime;

public enum JobState
{
    Created,
    Running,

    /// <summary>An attempt failed; the next one starts from the latest checkpoint after the restart delay.</summary>
    Restarting,

    /// <summary>Bounded input ended and the final checkpoint completed, or stop-with-savepoint completed.</summary>
    Finished,
    Failed,
    Cancelled,
}
