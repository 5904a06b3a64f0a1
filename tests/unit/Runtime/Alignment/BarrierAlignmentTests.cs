using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;

namespace Etl.Tests.Unit.Runtime.Alignment;

/// <summary>
/// Two source subtasks feed one operator. The fast one emits barrier 1 and then fifteen more records
/// while the slow one's barrier 1 is held back.
/// </summary>
public sealed class BarrierAlignmentTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ExactlyOnce_RecordsAfterBarrierOnFastInput_NeverEnterTheSnapshot()
    {
        var probe = new AlignmentProbe();
        var (runner, run) = Start(probe, CheckpointingMode.ExactlyOnce);
        await Task.WhenAll(probe.FastSourceReadyForCheckpoint.Task, probe.SlowSourceParked.Task).WaitAsync(Deadline);
        var checkpoint = runner.TriggerCheckpointAsync(CancellationToken.None);

        // Every post-barrier record of the fast input is in the operator's channel before the slow
        // barrier is released: the operator could read them, but alignment holds that input.
        await probe.FastSourceDone.Task.WaitAsync(Deadline);
        Assert.DoesNotContain(probe.Processed, r => r.Epoch > 0);
        probe.SlowSourceGate.SetResult();
        await checkpoint.WaitAsync(Deadline);
        await run.WaitAsync(Deadline);

        var snapshot = probe.Snapshots[1];
        Assert.DoesNotContain(snapshot, r => r.Epoch > 0);
        Assert.Equal(6, snapshot.Count);
        Assert.Equal(21, probe.Processed.Count);
    }

    [Fact]
    public async Task AtLeastOnce_RecordsAfterBarrierOnFastInput_EnterTheSnapshot()
    {
        var probe = new AlignmentProbe();
        var (runner, run) = Start(probe, CheckpointingMode.AtLeastOnce);
        await Task.WhenAll(probe.FastSourceReadyForCheckpoint.Task, probe.SlowSourceParked.Task).WaitAsync(Deadline);
        var checkpoint = runner.TriggerCheckpointAsync(CancellationToken.None);

        // Without alignment the operator goes on reading the fast input past its barrier.
        await probe.OperatorSawPostBarrierRecord.Task.WaitAsync(Deadline);
        probe.SlowSourceGate.SetResult();
        await checkpoint.WaitAsync(Deadline);
        await run.WaitAsync(Deadline);

        Assert.Contains(probe.Snapshots[1], r => r.Source == 0 && r.Epoch > 0);
        Assert.Equal(21, probe.Processed.Count);
    }

    private static (JobRunner Runner, Task Run) Start(AlignmentProbe probe, CheckpointingMode mode)
    {
        var builder = new JobBuilder();
        builder.AddSource("tagging-source", _ => new TaggingSource(probe), parallelism: 2)
            .Process("recording", _ => new RecordingOperator(probe), parallelism: 1)
            .SinkTo("discard", _ => new DiscardingSink<Tagged>(), parallelism: 1);
        var options = new JobOptions("alignment")
        {
            ChannelCapacity = 64,
            Checkpointing = new CheckpointingOptions { Mode = mode },
        };
        var runner = new JobRunner(builder.Build(), options, new InMemoryCheckpointStorage());
        return (runner, runner.RunAsync(CancellationToken.None));
    }
}
