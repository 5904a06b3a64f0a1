namespace Etl.Pipeline.Restart;

/// <summary>
/// Decides, each time a job fails, whether it restarts (from its latest checkpoint) and after what delay
/// (Flink's restart strategies). A strategy keeps the job's failure history, reads the failure time from its
/// <see cref="TimeProvider"/>, and serves one job: it is not safe for concurrent calls.
/// </summary>
public interface IRestartStrategy
{
    /// <summary>
    /// Records a failure that happened now and decides what to do about it. <paramref name="failure"/> is what
    /// failed the attempt (the first subtask's error, wrapped in its <c>SubtaskFailedException</c>), so that a
    /// strategy can refuse to restart after an error no restart can fix.
    /// </summary>
    RestartDecision OnFailure(Exception failure);
}
