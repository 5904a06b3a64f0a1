using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Checkpointing.Coordinator;

public sealed class PendingCheckpointsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Acknowledge_ReturnsTheCheckpoint_OnlyWhenEverySubtaskAcknowledged()
    {
        var pending = new PendingCheckpoints(subtaskCount: 2);
        pending.Add(Pending(1, Start));

        Assert.Null(pending.Acknowledge(new SubtaskId("map", 0), new CheckpointId(1), OperatorSnapshot.Empty));
        Assert.Null(pending.Acknowledge(new SubtaskId("map", 0), new CheckpointId(1), OperatorSnapshot.Empty)); // a repeat is no second subtask
        var complete = pending.Acknowledge(new SubtaskId("map", 1), new CheckpointId(1), OperatorSnapshot.Empty);

        Assert.Equal(new CheckpointId(1), complete?.Id);
    }

    [Fact]
    public void Acknowledge_OfAnIdNoLongerPending_IsIgnored()
    {
        var pending = new PendingCheckpoints(subtaskCount: 1);
        pending.Add(Pending(1, Start));
        pending.Remove(new CheckpointId(1));

        Assert.Null(pending.Acknowledge(new SubtaskId("map", 0), new CheckpointId(1), OperatorSnapshot.Empty));
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void RemoveSubsumedBy_TakesOnlyOlderCheckpoints_OldestFirst()
    {
        var pending = new PendingCheckpoints(subtaskCount: 1);
        foreach (var id in new long[] { 4, 2, 3, 5 })
        {
            pending.Add(Pending(id, Start));
        }

        var subsumed = pending.RemoveSubsumedBy(new CheckpointId(4));

        Assert.Equal([2L, 3L], subsumed.Select(p => p.Id.Value));
        Assert.Equal(2, pending.Count);
        Assert.True(pending.TryGet(new CheckpointId(5), out _));
    }

    [Fact]
    public void Expired_AreThosePendingForTheTimeoutOrLonger_AndStayPendingUntilAborted()
    {
        var pending = new PendingCheckpoints(subtaskCount: 1);
        pending.Add(Pending(1, Start));
        pending.Add(Pending(2, Start.AddSeconds(30)));

        var expired = pending.Expired(Start.AddMinutes(1), TimeSpan.FromMinutes(1));

        Assert.Equal([1L], expired.Select(p => p.Id.Value));
        Assert.Equal(2, pending.Count);
    }

    [Fact]
    public async Task FailAll_FailsEveryWaiter()
    {
        var pending = new PendingCheckpoints(subtaskCount: 1);
        var waiter = new TaskCompletionSource<CheckpointHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
        var checkpoint = Pending(1, Start);
        checkpoint.AddWaiter(waiter);
        pending.Add(checkpoint);

        pending.FailAll(new CheckpointFailedException(CheckpointId.None, CheckpointFailureReason.JobEnded, "the attempt ended"));

        var error = await Assert.ThrowsAsync<CheckpointFailedException>(() => waiter.Task);
        Assert.Equal(CheckpointFailureReason.JobEnded, error.Reason);
    }

    private static PendingCheckpoint Pending(long id, DateTimeOffset triggeredAt) =>
        new(new CheckpointBarrier(new CheckpointId(id), triggeredAt.ToUnixTimeMilliseconds(), CheckpointKind.Checkpoint),
            triggeredAt, periodic: true, final: false, stopAfter: false);
}
