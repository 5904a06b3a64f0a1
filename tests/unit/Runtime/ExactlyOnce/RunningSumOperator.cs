using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>A keyed running sum; its state is the sum per key, grouped by key group.</summary>
public sealed class RunningSumOperator(FaultPlan faults) : IOperator<InputEvent, Sum>
{
    private readonly Dictionary<int, long> _sums = [];
    private int _maxParallelism;
    private bool _failNext;

    public static int KeyHash(int key) => StableHash.Of(key);

    public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _maxParallelism = context.MaxParallelism;
        foreach (var group in context.Restored?.KeyedState ?? [])
        {
            foreach (var (key, sum) in TestStateCodec.DecodePairs(group.Data))
            {
                _sums[key] = sum;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ProcessAsync(StreamRecord<InputEvent> input, ICollector<Sum> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        FailIfArmed();
        faults.Hit(FaultPoint.OperatorProcess);
        var e = input.Value;
        var total = _sums.GetValueOrDefault(e.Key) + e.Value;
        _sums[e.Key] = total;
        output.Collect(new Sum(e.Key, e.Partition, e.Offset, total), input.Timestamp);
        return ValueTask.CompletedTask;
    }

    public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        faults.Hit(FaultPoint.OperatorBeforeSnapshot);
        var groups = _sums
            .GroupBy(s => KeyGroups.Of(KeyHash(s.Key), _maxParallelism))
            .Select(g => new KeyGroupState(g.Key, TestStateCodec.EncodePairs(g)))
            .ToList();
        _failNext |= faults.Due(FaultPoint.OperatorAfterSnapshot);
        return ValueTask.FromResult(new OperatorSnapshot(null, groups));
    }

    public ValueTask NotifyCheckpointCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        FailIfArmed();
        return ValueTask.CompletedTask;
    }

    private void FailIfArmed()
    {
        if (_failNext)
        {
            _failNext = false;
            throw new InjectedFailureException(FaultPoint.OperatorAfterSnapshot);
        }
    }
}
