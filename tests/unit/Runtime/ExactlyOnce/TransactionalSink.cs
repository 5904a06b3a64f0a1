using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>
/// An in-memory two-phase-commit sink with the subsuming contract: on barrier n the open transaction
/// is pre-committed and filed as pending under n (in the snapshot); completion of n commits every
/// pending transaction &lt;= n; on open every restored pending transaction is committed.
/// </summary>
public sealed class TransactionalSink(ExternalSystem external, FaultPlan faults) : ISink<Sum>
{
    private readonly SortedDictionary<long, (string TxId, List<Sum> Rows)> _pending = [];
    private List<Sum> _current = [];
    private int _subtaskIndex;
    private bool _failNext;

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _subtaskIndex = context.SubtaskIndex;
        foreach (var state in context.Restored?.OperatorState ?? [])
        {
            foreach (var (_, txId, rows) in TestStateCodec.DecodeTransactions(state.Data))
            {
                external.Commit(txId, rows);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(StreamRecord<Sum> input, CancellationToken cancellationToken)
    {
        FailIfArmed();
        faults.Hit(FaultPoint.SinkWrite);
        _current.Add(input.Value);
        return ValueTask.CompletedTask;
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        faults.Hit(FaultPoint.SinkBeforeSnapshot);
        _pending[checkpointId.Value] = ($"{_subtaskIndex}:{checkpointId}", _current);
        _current = [];
        var state = TestStateCodec.EncodeTransactions(_pending.Select(p => (p.Key, p.Value.TxId, p.Value.Rows)));
        _failNext |= faults.Due(FaultPoint.SinkAfterSnapshot);
        return ValueTask.FromResult(OperatorSnapshot.Of(state));
    }

    public ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        FailIfArmed();
        faults.Hit(FaultPoint.SinkBeforeNotify);
        foreach (var id in _pending.Keys.Where(id => id <= checkpointId.Value).ToList())
        {
            external.Commit(_pending[id].TxId, _pending[id].Rows);
            _pending.Remove(id);
        }

        faults.Hit(FaultPoint.SinkAfterNotify);
        return ValueTask.CompletedTask;
    }

    private void FailIfArmed()
    {
        if (_failNext)
        {
            _failNext = false;
            throw new InjectedFailureException(FaultPoint.SinkAfterSnapshot);
        }
    }
}
