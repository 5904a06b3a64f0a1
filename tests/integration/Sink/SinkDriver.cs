using Etl.Connectors.Postgres;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Tests.Integration.Sink;

/// <summary>Drives a PostgreSQL sink subtask as the runtime would: open or restore, write, barrier, notify.</summary>
internal sealed class SinkDriver : IAsyncDisposable
{
    private readonly ISink<ResultRow> _sink;

    private SinkDriver(ISink<ResultRow> sink) => _sink = sink;

    public static async Task<SinkDriver> OpenAsync(
        PostgresSinkOptions<ResultRow> options, OperatorSnapshot? restoreFrom = null, long restoredId = 0,
        int subtask = 0, int parallelism = 1, IReadOnlyList<OperatorSnapshot>? oldSubtasks = null)
    {
        var restored = restoreFrom is null && oldSubtasks is null
            ? null
            : StateAssignment.For(new CheckpointId(restoredId), oldSubtasks ?? [restoreFrom!], subtask, parallelism, KeyGroups.DefaultMaxParallelism);
        var context = new OperatorContext(
            options.JobName, options.SinkUid, subtask, parallelism, KeyGroups.DefaultMaxParallelism, restored,
            TimeProvider.System, NullLoggerFactory.Instance);
        var sink = PostgresSink.Create(options);
        try
        {
            await sink.OpenAsync(context, CancellationToken.None);
        }
        catch
        {
            await sink.DisposeAsync();
            throw;
        }

        return new SinkDriver(sink);
    }

    public async Task WriteAsync(IEnumerable<ResultRow> rows, CancellationToken cancellationToken = default)
    {
        foreach (var row in rows)
        {
            await _sink.WriteAsync(new StreamRecord<ResultRow>(row, 0), cancellationToken);
        }
    }

    public ValueTask WriteDeadLetterAsync(DeadLetter deadLetter) => _sink.WriteDeadLetterAsync(deadLetter, CancellationToken.None);

    public ValueTask<OperatorSnapshot> BarrierAsync(long checkpointId, CancellationToken cancellationToken = default) =>
        _sink.SnapshotStateAsync(new CheckpointId(checkpointId), cancellationToken);

    public ValueTask CompleteAsync(long checkpointId, CancellationToken cancellationToken = default) =>
        _sink.NotifyCheckpointCompleteAsync(new CheckpointId(checkpointId), cancellationToken);

    public ValueTask AbortedAsync(long checkpointId) => _sink.NotifyCheckpointAbortedAsync(new CheckpointId(checkpointId), CancellationToken.None);

    public ValueTask DisposeAsync() => _sink.DisposeAsync();

    public static IEnumerable<ResultRow> Rows(long from, long count, long value) =>
        Enumerable.Range(0, (int)count).Select(i => new ResultRow(from + i, value));
}
