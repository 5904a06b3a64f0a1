using Etl.Pipeline.State;

namespace Etl.Pipeline.Checkpointing;

/// <summary>A triggered checkpoint collecting acknowledgements. Owned by the coordinator loop only.</summary>
internal sealed class PendingCheckpoint(
    CheckpointBarrier barrier, DateTimeOffset triggeredAt, bool periodic, bool final, bool stopAfter)
{
    private readonly List<TaskCompletionSource<CheckpointHandle>> _waiters = [];

    public CheckpointBarrier Barrier { get; } = barrier;

    public CheckpointId Id => Barrier.Id;

    public DateTimeOffset TriggeredAt { get; } = triggeredAt;

    public bool Periodic { get; } = periodic;

    /// <summary>The checkpoint after end of input; when it completes, the job finishes.</summary>
    public bool Final { get; } = final;

    /// <summary>Stop-with-savepoint: when it completes, the job finishes.</summary>
    public bool StopAfter { get; } = stopAfter;

    public Dictionary<SubtaskId, OperatorSnapshot> Acks { get; } = [];

    public void AddWaiter(TaskCompletionSource<CheckpointHandle>? waiter)
    {
        if (waiter is not null)
        {
            _waiters.Add(waiter);
        }
    }

    public CheckpointData ToCheckpointData(string jobName, IReadOnlyList<OperatorTopology> operators, int maxParallelism) =>
        new(jobName, Id, Barrier.Kind, Barrier.Timestamp, operators.ToDictionary(
            o => o.OperatorId,
            o => new OperatorCheckpoint(o.Parallelism, maxParallelism,
                [.. Enumerable.Range(0, o.Parallelism).Select(i => Acks[new SubtaskId(o.OperatorId, i)])])));

    public void Complete(CheckpointHandle handle)
    {
        foreach (var waiter in _waiters)
        {
            waiter.TrySetResult(handle);
        }
    }

    public void Fail(Exception error)
    {
        foreach (var waiter in _waiters)
        {
            waiter.TrySetException(error);
        }
    }
}
