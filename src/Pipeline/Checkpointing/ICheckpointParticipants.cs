namespace Etl.Pipeline.Checkpointing;

/// <summary>The coordinator's view of the running subtasks: where triggers and notifications go.</summary>
internal interface ICheckpointParticipants
{
    /// <summary>Every operator of the job, sources and sinks included; each subtask acknowledges every checkpoint.</summary>
    IReadOnlyList<OperatorTopology> Operators { get; }

    /// <summary>Asks every source subtask to snapshot and emit <paramref name="barrier"/> between two polls.</summary>
    /// <param name="suspend">Stop-with-savepoint: sources stop polling after this barrier (resume if it is aborted).</param>
    void TriggerSources(CheckpointBarrier barrier, bool suspend);

    void NotifyComplete(CheckpointId checkpointId);

    void NotifyAborted(CheckpointId checkpointId);

    /// <summary>The job is finished: every subtask leaves its loop after the mail already queued.</summary>
    void Stop();
}
