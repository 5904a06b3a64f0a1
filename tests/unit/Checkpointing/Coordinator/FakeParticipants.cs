using System.Collections.Concurrent;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;

namespace Etl.Tests.Unit.Checkpointing.Coordinator;

/// <summary>Stands in for the subtasks: records what the coordinator sends; the test acknowledges by hand.</summary>
internal sealed class FakeParticipants : ICheckpointParticipants
{
    public IReadOnlyList<OperatorTopology> Operators { get; } = [new("source", 1), new("sink", 2)];

    public ConcurrentQueue<CheckpointBarrier> Triggered { get; } = new();

    public ConcurrentQueue<CheckpointId> Completed { get; } = new();

    public ConcurrentQueue<CheckpointId> Aborted { get; } = new();

    public bool Stopped { get; private set; }

    public void TriggerSources(CheckpointBarrier barrier, bool suspend) => Triggered.Enqueue(barrier);

    public void NotifyComplete(CheckpointId checkpointId) => Completed.Enqueue(checkpointId);

    public void NotifyAborted(CheckpointId checkpointId) => Aborted.Enqueue(checkpointId);

    public void Stop() => Stopped = true;

    public IEnumerable<SubtaskId> Subtasks =>
        Operators.SelectMany(o => Enumerable.Range(0, o.Parallelism).Select(i => new SubtaskId(o.OperatorId, i)));
}
