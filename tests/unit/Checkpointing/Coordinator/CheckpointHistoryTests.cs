using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.State;
using Etl.Tests.Unit.Harness;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Tests.Unit.Checkpointing.Coordinator;

/// <summary>What the coordinator records for the job page: trigger, acknowledgements, completion, aborts.</summary>
public sealed class CheckpointHistoryTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly ManualTimeProvider _time = new();
    private readonly FakeParticipants _participants = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CheckpointHistory _history = new();
    private Task _run = Task.CompletedTask;

    [Fact]
    public async Task Coordinator_CompletedCheckpoint_HasDurationSizeAndTheSlowestAck()
    {
        var coordinator = Start(new CheckpointingOptions());
        var checkpoint = coordinator.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
        await coordinator.TickAsync();
        var triggered = Assert.Single(_history.Snapshot());
        Assert.Equal((CheckpointStatus.InProgress, 0, 3), (triggered.Status, triggered.Acknowledged, triggered.Subtasks));

        _time.Advance(TimeSpan.FromMilliseconds(100));
        coordinator.Acknowledge(new SubtaskId("sink", 1), new CheckpointId(1), OperatorSnapshot.Empty);
        await coordinator.TickAsync();
        _time.Advance(TimeSpan.FromMilliseconds(200));
        coordinator.Acknowledge(new SubtaskId("source", 0), new CheckpointId(1), OperatorSnapshot.Empty);
        coordinator.Acknowledge(new SubtaskId("sink", 0), new CheckpointId(1), OperatorSnapshot.Empty);
        var handle = await checkpoint.WaitAsync(Deadline);
        _history.SinkPrepared(handle.Id, 12.5);
        _history.SinkPrepared(handle.Id, 7);
        _history.SinkCommitted(handle.Id, 3);

        var row = Assert.Single(_history.Snapshot());
        Assert.Equal(CheckpointStatus.Completed, row.Status);
        Assert.Equal(300, row.DurationMs);
        Assert.Equal(handle.SizeInBytes, row.SizeBytes);
        Assert.Equal(handle.Location, row.Location);
        Assert.Equal(3, row.Acknowledged);
        Assert.Equal(new SubtaskAck(new SubtaskId("sink", 0), 300), row.SlowestAck);
        Assert.Equal((12.5, 3.0), (row.SinkPrepareMs, row.SinkCommitMs));
        Assert.Equal((1L, 0L), (_history.CompletedCount, _history.FailedCount));
    }

    [Fact]
    public async Task Coordinator_TimedOutSavepoint_IsAFailedRowWithItsReason_NewestFirst()
    {
        var coordinator = Start(new CheckpointingOptions { Timeout = TimeSpan.FromMinutes(1), TolerableFailures = 5 });
        var checkpoint = coordinator.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
        await coordinator.TickAsync();
        foreach (var subtask in _participants.Subtasks)
        {
            coordinator.Acknowledge(subtask, new CheckpointId(1), OperatorSnapshot.Empty);
        }

        await checkpoint.WaitAsync(Deadline);
        var savepoint = coordinator.TriggerAsync(CheckpointKind.Savepoint, stopAfter: false);
        await coordinator.TickAsync();
        _time.Advance(TimeSpan.FromMinutes(2));
        await coordinator.TickAsync();
        await Assert.ThrowsAsync<CheckpointFailedException>(() => savepoint.WaitAsync(Deadline));

        var rows = _history.Snapshot();
        Assert.Equal([2L, 1L], rows.Select(r => r.Id.Value));
        Assert.Equal((CheckpointKind.Savepoint, CheckpointStatus.Failed), (rows[0].Kind, rows[0].Status));
        Assert.StartsWith("Timeout: ", rows[0].Failure, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(2).TotalMilliseconds, rows[0].DurationMs);
        Assert.Equal((1L, 1L), (_history.CompletedCount, _history.FailedCount));
    }

    [Fact]
    public async Task Coordinator_AttemptEnds_InProgressCheckpointFails()
    {
        var coordinator = Start(new CheckpointingOptions());
        _ = coordinator.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
        await coordinator.TickAsync();

        await _stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run.WaitAsync(Deadline));

        var row = Assert.Single(_history.Snapshot());
        Assert.Equal(CheckpointStatus.Failed, row.Status);
        Assert.StartsWith("JobEnded: ", row.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void History_KeepsTheNewest_AndCountsOn()
    {
        var history = new CheckpointHistory(capacity: 2);
        var start = DateTimeOffset.UnixEpoch;
        for (var id = 1; id <= 3; id++)
        {
            history.Triggered(new CheckpointId(id), CheckpointKind.Checkpoint, start.AddSeconds(id), 1);
            history.Completed(new CheckpointHandle("job", new CheckpointId(id), CheckpointKind.Checkpoint, 0, $"chk-{id}", id * 10), start.AddSeconds(id + 0.5));
        }

        history.SinkCommitted(new CheckpointId(1), 5);

        Assert.Equal([3L, 2L], history.Snapshot().Select(r => r.Id.Value));
        Assert.All(history.Snapshot(), r => Assert.Null(r.SinkCommitMs));
        Assert.Equal(3, history.CompletedCount);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Stopped by the test's end.
        }

        _stop.Dispose();
    }

    private CheckpointCoordinator Start(CheckpointingOptions options)
    {
        var coordinator = new CheckpointCoordinator("job", options, 128, new InMemoryCheckpointStorage(), _participants, _time, NullLogger.Instance)
        {
            History = _history,
        };
        _run = coordinator.RunAsync(_stop.Token);
        return coordinator;
    }
}
