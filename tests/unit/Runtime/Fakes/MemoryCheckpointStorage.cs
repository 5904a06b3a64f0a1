using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;

namespace Etl.Tests.Unit.Runtime.Fakes;

/// <summary>
/// A minimal in-memory <see cref="ICheckpointStorage"/> for runtime tests (the real in-memory storage
/// with its size cap lives in Checkpointing/Storage). Locations are "mem://job/chk-n" and
/// "mem://job/savepoint-n".
/// </summary>
public sealed class MemoryCheckpointStorage : ICheckpointStorage
{
    private readonly Lock _lock = new(); // guards everything below: the runtime calls from several tasks
    private readonly Dictionary<string, CheckpointData> _byLocation = [];
    private readonly Dictionary<string, long> _highest = [];

    public List<CheckpointId> Reserved { get; } = [];

    public ValueTask<CheckpointId> HighestIdAsync(string jobName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(new CheckpointId(_highest.GetValueOrDefault(jobName)));
        }
    }

    public ValueTask ReserveAsync(string jobName, CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Reserved.Add(checkpointId);
            _highest[jobName] = Math.Max(_highest.GetValueOrDefault(jobName), checkpointId.Value);
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask<CheckpointHandle> CommitAsync(CheckpointData checkpoint, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var location = LocationOf(checkpoint.JobName, checkpoint.Kind, checkpoint.Id);
            if (_byLocation.ContainsKey(location))
            {
                throw new InvalidOperationException($"Checkpoint {location} exists already.");
            }

            _byLocation[location] = checkpoint;
            _highest[checkpoint.JobName] = Math.Max(_highest.GetValueOrDefault(checkpoint.JobName), checkpoint.Id.Value);
            return ValueTask.FromResult(HandleOf(location, checkpoint));
        }
    }

    public ValueTask<CheckpointLoadResult> LatestAsync(string jobName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var latest = _byLocation.Values
                .Where(c => c.JobName == jobName && c.Kind == CheckpointKind.Checkpoint)
                .MaxBy(c => c.Id.Value);
            return ValueTask.FromResult(new CheckpointLoadResult(latest, []));
        }
    }

    public ValueTask<CheckpointData> LoadAsync(string location, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _byLocation.TryGetValue(location, out var data)
                ? ValueTask.FromResult(data)
                : throw new FileNotFoundException($"No checkpoint at {location}.");
        }
    }

    public ValueTask<IReadOnlyList<CheckpointHandle>> ListAsync(string jobName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<CheckpointHandle> list = [.. _byLocation
                .Where(e => e.Value.JobName == jobName)
                .OrderBy(e => e.Value.Id.Value)
                .Select(e => HandleOf(e.Key, e.Value))];
            return ValueTask.FromResult(list);
        }
    }

    public ValueTask OnJobCancelledAsync(string jobName, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private static string LocationOf(string jobName, CheckpointKind kind, CheckpointId id) =>
        kind == CheckpointKind.Savepoint ? $"mem://{jobName}/savepoint-{id}" : $"mem://{jobName}/chk-{id}";

    private static CheckpointHandle HandleOf(string location, CheckpointData data) =>
        new(data.JobName, data.Id, data.Kind, data.TimestampUnixMs, location,
            data.Operators.Values.Sum(o => o.Subtasks.Sum(s => s.SizeInBytes)));
}
