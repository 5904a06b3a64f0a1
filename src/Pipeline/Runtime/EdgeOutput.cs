using System.Buffers;
using System.Threading.Channels;
using Etl.Pipeline.Graph;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// One subtask's writing end of an edge: a record batch per downstream subtask, sealed when full,
/// and a queue of sealed elements per downstream subtask that <see cref="FlushAsync"/> writes with
/// backpressure (the time it waits is the subtask's back-pressure, <see cref="BackPressureTimer"/>). Control elements are queued behind the records collected before them, so stream
/// order holds per channel. Dead letters travel with the batch they were collected into (one element after it when it
/// is sealed), so they never pass a control element, and a dead letter does not cut a batch short: with 1 % bad
/// records, sealing at every dead letter made the batches about a fifth of their size and the channels carry several
/// times the elements.
/// </summary>
internal sealed class EdgeOutput<T>
{
    private readonly ChannelWriter<StreamElement<T>>[] _targets;
    private readonly StreamRecord<T>[]?[] _batches;
    private readonly int[] _counts;
    private readonly List<StreamElement<T>>[] _ready;
    private readonly Partitioning _partitioning;
    private readonly Func<T, int>? _keyHash;
    private readonly int _maxParallelism;
    private readonly int _batchSize;
    private readonly int _ownTarget;
    private readonly BackPressureTimer _backPressure;
    private int _roundRobin;

    // Only the own target ever gets dead letters (see AddDeadLetter).
    private List<DeadLetter>? _deadLetters;

    public EdgeOutput(
        IReadOnlyList<ChannelWriter<StreamElement<T>>> targets, Partitioning partitioning, Func<T, int>? keyHash,
        int subtaskIndex, int maxParallelism, int batchSize, BackPressureTimer backPressure)
    {
        _backPressure = backPressure;
        _targets = [.. targets];
        _batches = new StreamRecord<T>[]?[_targets.Length];
        _counts = new int[_targets.Length];
        _ready = new List<StreamElement<T>>[_targets.Length];
        for (var i = 0; i < _ready.Length; i++)
        {
            _ready[i] = [];
        }

        _partitioning = partitioning;
        _keyHash = keyHash;
        _maxParallelism = maxParallelism;
        _batchSize = batchSize;
        _ownTarget = subtaskIndex % _targets.Length;
        _roundRobin = _ownTarget;
    }

    public void Add(T value, long timestamp)
    {
        var target = TargetOf(value);
        var batch = _batches[target] ??= ArrayPool<StreamRecord<T>>.Shared.Rent(_batchSize);
        var count = _counts[target];
        batch[count] = new StreamRecord<T>(value, timestamp);
        _counts[target] = ++count;
        if (count >= _batchSize)
        {
            Seal(target);
        }
    }

    /// <summary>
    /// A dead letter goes to one subtask downstream (the one this subtask forwards to), after the records of the batch
    /// being collected and before any control element that follows it.
    /// </summary>
    public void AddDeadLetter(DeadLetter deadLetter) => (_deadLetters ??= []).Add(deadLetter);

    public void AddToAll(StreamElement<T> element)
    {
        for (var t = 0; t < _targets.Length; t++)
        {
            Seal(t);
            _ready[t].Add(element);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        for (var t = 0; t < _targets.Length; t++)
        {
            Seal(t);
            var ready = _ready[t];
            if (ready.Count == 0)
            {
                continue;
            }

            var writer = _targets[t];
            foreach (var element in ready)
            {
                await _backPressure.WriteAsync(writer, element, cancellationToken);
            }

            ready.Clear();
        }
    }

    private int TargetOf(T value)
    {
        switch (_partitioning)
        {
            case Partitioning.Forward:
                return _ownTarget;
            case Partitioning.Keyed when _targets.Length == 1:
                // Every key group is the one subtask's: no key to hash.
                return 0;
            case Partitioning.Keyed:
                var group = KeyGroups.Of(_keyHash!(value), _maxParallelism);
                return KeyGroups.SubtaskOf(group, _targets.Length, _maxParallelism);
            case Partitioning.Rebalance:
                var target = _roundRobin;
                _roundRobin = target + 1 == _targets.Length ? 0 : target + 1;
                return target;
            default:
                throw new InvalidOperationException($"Unknown partitioning {_partitioning}.");
        }
    }

    private void Seal(int target)
    {
        var count = _counts[target];
        if (count > 0)
        {
            _ready[target].Add(StreamElement<T>.OfRecords(_batches[target]!, count));
            _batches[target] = null;
            _counts[target] = 0;
        }

        if (target == _ownTarget && _deadLetters is { } deadLetters)
        {
            _ready[target].Add(StreamElement<T>.OfDeadLetters(deadLetters));
            _deadLetters = null;
        }
    }
}
