using Confluent.Kafka;
using Etl.Pipeline;
using Microsoft.Extensions.Logging;

namespace Etl.Connectors.Kafka;

/// <summary>
/// Offsets per checkpoint id, committed to the consumer group when that checkpoint completes, off the poll
/// thread (a synchronous commit waits for the broker and would stall the pipeline). Subsuming: completing n
/// drops every entry &lt;= n, and a commit still waiting is replaced by the newer one.
/// </summary>
/// <remarks>
/// A failed commit is logged and counted, never fatal: with a checkpoint, the offsets in the checkpoint are
/// the truth and the group's offsets only feed lag monitoring (DESIGN 3.7), so a lost commit costs nothing
/// but a stale lag figure until the next checkpoint.
/// </remarks>
internal sealed class CheckpointOffsetCommits(Action<IReadOnlyList<KafkaPartitionState>> commit, string groupId, ILogger logger)
{
    // Touched only by the poll thread (snapshot and notifications).
    private readonly SortedDictionary<long, IReadOnlyList<KafkaPartitionState>> _byCheckpoint = [];

    // Guards _next, _draining and _running, shared between the poll thread and the commit task.
    private readonly Lock _gate = new();
    private (long CheckpointId, IReadOnlyList<KafkaPartitionState> Offsets)? _next;
    private bool _draining;
    private Task _running = Task.CompletedTask;

    public int PendingCount => _byCheckpoint.Count;

    public void Record(CheckpointId checkpointId, IReadOnlyList<KafkaPartitionState> offsets) =>
        _byCheckpoint[checkpointId.Value] = offsets;

    public void Complete(CheckpointId checkpointId)
    {
        _byCheckpoint.TryGetValue(checkpointId.Value, out var offsets);
        foreach (var id in _byCheckpoint.Keys.TakeWhile(id => id <= checkpointId.Value).ToList())
        {
            _byCheckpoint.Remove(id);
        }

        if (offsets is null || offsets.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _next = (checkpointId.Value, offsets);
            if (!_draining)
            {
                _draining = true;
                _running = Task.Run(Drain);
            }
        }
    }

    /// <summary>An aborted checkpoint's offsets are never committed; a later completed one carries newer offsets.</summary>
    public void Abort(CheckpointId checkpointId) => _byCheckpoint.Remove(checkpointId.Value);

    /// <summary>Waits (bounded) for a commit in flight, before the consumer closes.</summary>
    public async Task WaitAsync(TimeSpan timeout)
    {
        Task running;
        lock (_gate)
        {
            running = _running;
        }

        try
        {
            await running.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Tolerated: the commit is for monitoring only; closing the consumer cancels it.
        }
    }

    private void Drain()
    {
        while (true)
        {
            (long CheckpointId, IReadOnlyList<KafkaPartitionState> Offsets) work;
            lock (_gate)
            {
                if (_next is not { } next)
                {
                    _draining = false;
                    return;
                }

                work = next;
                _next = null;
            }

            try
            {
                commit(work.Offsets);
            }
            catch (Exception e) when (e is KafkaException or ObjectDisposedException or InvalidOperationException)
            {
                KafkaSourceMetrics.OffsetCommitFailures.Add(1);
                logger.OffsetCommitFailed(work.CheckpointId, groupId, e);
            }
        }
    }
}
