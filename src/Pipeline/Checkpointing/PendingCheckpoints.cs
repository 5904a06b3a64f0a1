using Etl.Pipeline.State;

namespace Etl.Pipeline.Checkpointing;

/// <summary>
/// The checkpoints triggered and neither completed nor aborted, by id: which one every subtask has
/// acknowledged, which timed out, which a newer completion subsumes. Owned by the coordinator loop only.
/// </summary>
internal sealed class PendingCheckpoints(int subtaskCount)
{
    private readonly SortedDictionary<CheckpointId, PendingCheckpoint> _byId = [];

    public int Count => _byId.Count;

    public IEnumerable<DateTimeOffset> TriggeredAt => _byId.Values.Select(p => p.TriggeredAt);

    public void Add(PendingCheckpoint pending) => _byId[pending.Id] = pending;

    public bool TryGet(CheckpointId id, out PendingCheckpoint pending) => _byId.TryGetValue(id, out pending!);

    public void Remove(CheckpointId id) => _byId.Remove(id);

    /// <summary>
    /// Records a subtask's snapshot; returns the checkpoint once every subtask acknowledged it, else null
    /// (also for an id no longer pending: a late acknowledgement of an aborted or subsumed checkpoint).
    /// </summary>
    public PendingCheckpoint? Acknowledge(SubtaskId subtask, CheckpointId id, OperatorSnapshot snapshot)
    {
        if (!_byId.TryGetValue(id, out var pending))
        {
            return null;
        }

        pending.Acks[subtask] = snapshot;
        return pending.Acks.Count == subtaskCount ? pending : null;
    }

    /// <summary>The checkpoints pending for <paramref name="timeout"/> or longer, oldest first (still pending: the caller aborts them).</summary>
    public List<PendingCheckpoint> Expired(DateTimeOffset now, TimeSpan timeout) =>
        [.. _byId.Values.Where(p => now - p.TriggeredAt >= timeout)];

    /// <summary>Removes and returns the checkpoints older than <paramref name="completed"/>, oldest first: its completion subsumes them.</summary>
    public List<PendingCheckpoint> RemoveSubsumedBy(CheckpointId completed)
    {
        List<PendingCheckpoint> older = [.. _byId.Values.TakeWhile(p => p.Id < completed)];
        foreach (var pending in older)
        {
            _byId.Remove(pending.Id);
        }

        return older;
    }

    /// <summary>The attempt ended: fails whoever waits on a pending checkpoint.</summary>
    public void FailAll(Exception error)
    {
        foreach (var pending in _byId.Values)
        {
            pending.Fail(error);
        }
    }
}
