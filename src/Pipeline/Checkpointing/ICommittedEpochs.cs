namespace Etl.Pipeline.Checkpointing;

/// <summary>
/// What the job's sinks already committed outside, as the external system itself records it (for the PostgreSQL
/// sink: the commit markers in <c>&lt;schema&gt;.sink_commits</c>). The runner asks once at start (DESIGN 4):
/// restoring a point older than a committed epoch would replay, and so duplicate, what that epoch committed; and a
/// checkpoint id at or below a committed one would reuse its transaction ids.
/// </summary>
public interface ICommittedEpochs
{
    /// <summary>The highest checkpoint id whose side effects some sink of the job committed; <see cref="CheckpointId.None"/> when none.</summary>
    ValueTask<CheckpointId> HighestAsync(string jobName, CancellationToken cancellationToken);
}
