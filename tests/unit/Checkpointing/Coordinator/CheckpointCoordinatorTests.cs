using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.State;
using Etl.Tests.Unit.Harness;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Tests.Unit.Checkpointing.Coordinator;

public sealed class CheckpointCoordinatorTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly ManualTimeProvider _time = new();
    private readonly FakeParticipants _participants = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private CheckpointCoordinator? _coordinator;

    [Fact]
    public async Task Timeout_AbortsTheCheckpoint_AndNotifiesAborted()
    {
        var coordinator = Start(new CheckpointingOptions { Timeout = TimeSpan.FromMinutes(1), TolerableFailures = 5 });
        var checkpoint = coordinator.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
        await coordinator.TickAsync();
        AcknowledgeAllBut(1, new CheckpointId(1));

        _time.Advance(TimeSpan.FromMinutes(2));
        await coordinator.TickAsync();

        var error = await Assert.ThrowsAsync<CheckpointFailedException>(() => checkpoint.WaitAsync(Deadline));
        Assert.Equal(CheckpointFailureReason.Timeout, error.Reason);
        Assert.Equal([new CheckpointId(1)], _participants.Aborted);
        Assert.Empty(_participants.Completed);
    }

    [Fact]
    public async Task TolerableFailuresExceeded_FailsTheJobAttempt()
    {
        var coordinator = Start(new CheckpointingOptions { Timeout = TimeSpan.FromMinutes(1), TolerableFailures = 1 });
        for (var i = 0; i < 2; i++)
        {
            _ = coordinator.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
            await coordinator.TickAsync();
            _time.Advance(TimeSpan.FromMinutes(2));
            await coordinator.TickAsync();
        }

        var error = await Assert.ThrowsAsync<CheckpointFailedException>(() => _run.WaitAsync(Deadline));
        Assert.Contains("TolerableFailures = 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MinPause_DelaysTheNextPeriodicCheckpoint_FromTheLastCompletion()
    {
        var coordinator = Start(new CheckpointingOptions { Interval = TimeSpan.FromSeconds(1), MinPause = TimeSpan.FromSeconds(10) });
        _time.Advance(TimeSpan.FromSeconds(1));
        await coordinator.TickAsync();
        Assert.Single(_participants.Triggered);
        await AcknowledgeAllAndWaitAsync(coordinator, new CheckpointId(1));

        _time.Advance(TimeSpan.FromSeconds(9));
        await coordinator.TickAsync();
        Assert.Single(_participants.Triggered);

        _time.Advance(TimeSpan.FromSeconds(1));
        await coordinator.TickAsync();
        Assert.Equal(2, _participants.Triggered.Count);
    }

    [Fact]
    public async Task MaxConcurrent_NoMorePeriodicCheckpointsInFlight_UntilOneCompletes()
    {
        var coordinator = Start(new CheckpointingOptions { Interval = TimeSpan.FromSeconds(1), MaxConcurrent = 2 });
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await coordinator.TickAsync();
        }

        Assert.Equal(2, _participants.Triggered.Count);
        await AcknowledgeAllAndWaitAsync(coordinator, new CheckpointId(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        await coordinator.TickAsync();

        Assert.Equal([1L, 2L, 3L], _participants.Triggered.Select(b => b.Id.Value));
    }

    [Fact]
    public async Task Completion_IsNotifiedOnlyAfterStorageCommitReturned()
    {
        var storage = new BlockingCommitStorage(new InMemoryCheckpointStorage());
        var coordinator = Start(new CheckpointingOptions(), storage);
        var checkpoint = coordinator.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
        await coordinator.TickAsync();
        AcknowledgeAllBut(0, new CheckpointId(1));

        await storage.CommitStarted.Task.WaitAsync(Deadline);
        Assert.Empty(_participants.Completed);
        storage.Release.SetResult();

        var handle = await checkpoint.WaitAsync(Deadline);
        Assert.Equal(new CheckpointId(1), handle.Id);
        Assert.Equal([new CheckpointId(1)], _participants.Completed);
    }

    [Fact]
    public async Task SnapshotFailure_AbortsAndNotifiesAborted()
    {
        var coordinator = Start(new CheckpointingOptions { TolerableFailures = 1 });
        var checkpoint = coordinator.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
        await coordinator.TickAsync();

        coordinator.Decline(new SubtaskId("sink", 1), new CheckpointId(1), new InvalidOperationException("disk full"));

        var error = await Assert.ThrowsAsync<CheckpointFailedException>(() => checkpoint.WaitAsync(Deadline));
        Assert.Equal(CheckpointFailureReason.SnapshotFailed, error.Reason);
        Assert.Equal([new CheckpointId(1)], _participants.Aborted);
    }

    [Fact]
    public async Task Ids_ContinuePastEveryReservedId_AfterARestart()
    {
        var storage = new InMemoryCheckpointStorage();
        var first = Start(new CheckpointingOptions(), storage);
        _ = first.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
        _ = first.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
        await first.TickAsync();
        await _stop.CancelAsync(); // the attempt dies with checkpoints 1 and 2 never completed
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run);
        Assert.Equal(new CheckpointId(2), await storage.HighestIdAsync("job", CancellationToken.None));

        var participants = new FakeParticipants();
        var second = new CheckpointCoordinator("job", new CheckpointingOptions(), 128, storage, participants, _time, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = second.RunAsync(stop.Token);
        _ = second.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false);
        await second.TickAsync();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal([new CheckpointId(3)], participants.Triggered.Select(b => b.Id));
        Assert.Equal(new CheckpointId(3), await storage.HighestIdAsync("job", CancellationToken.None));
        Assert.Empty(await storage.ListAsync("job", CancellationToken.None));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_run);
        _stop.Dispose();
    }

    private CheckpointCoordinator Start(CheckpointingOptions options, ICheckpointStorage? storage = null)
    {
        var coordinator = new CheckpointCoordinator(
            "job", options, 128, storage ?? new InMemoryCheckpointStorage(), _participants, _time, NullLogger.Instance);
        _run = coordinator.RunAsync(_stop.Token);
        _coordinator = coordinator;
        return coordinator;
    }

    /// <summary>Acknowledges <paramref name="id"/> for every subtask except the last <paramref name="missing"/>.</summary>
    private void AcknowledgeAllBut(int missing, CheckpointId id)
    {
        var subtasks = _participants.Subtasks.ToList();
        foreach (var subtask in subtasks.Take(subtasks.Count - missing))
        {
            _coordinator!.Acknowledge(subtask, id, OperatorSnapshot.Empty);
        }
    }

    private async Task AcknowledgeAllAndWaitAsync(CheckpointCoordinator coordinator, CheckpointId id)
    {
        foreach (var subtask in _participants.Subtasks)
        {
            coordinator.Acknowledge(subtask, id, OperatorSnapshot.Empty);
        }

        await coordinator.TickAsync();
        Assert.Contains(id, _participants.Completed);
    }
}
