using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Checkpointing.Storage;

/// <summary>Checkpoints with several operators, subtasks and key groups, and a deep equality check.</summary>
internal static class CheckpointSamples
{
    public static CheckpointData Build(string job, long id, CheckpointKind kind = CheckpointKind.Checkpoint, int keyedBytes = 16)
    {
        var source = new OperatorCheckpoint(2, 128, [
            OperatorSnapshot.Of(Bytes(id, 1, 9)),
            OperatorSnapshot.Of(Bytes(id, 2, 0)),
        ]);
        var window = new OperatorCheckpoint(3, 128, [
            new OperatorSnapshot(Bytes(id, 3, 5), [new KeyGroupState(0, Bytes(id, 4, keyedBytes)), new KeyGroupState(42, Bytes(id, 5, 1))]),
            new OperatorSnapshot(null, [new KeyGroupState(43, Bytes(id, 6, keyedBytes)), new KeyGroupState(85, [])]),
            OperatorSnapshot.Empty,
        ]);
        var sink = new OperatorCheckpoint(1, 64, [OperatorSnapshot.Of(Bytes(id, 7, 300))]);
        return new CheckpointData(job, new CheckpointId(id), kind, 1_700_000_000_000 + id, new Dictionary<string, OperatorCheckpoint>
        {
            ["kafka-source"] = source,
            ["tumbling window/1 min"] = window,
            ["pg-sink"] = sink,
        });
    }

    public static long SizeOf(CheckpointData data) => data.Operators.Values.Sum(o => o.Subtasks.Sum(s => s.SizeInBytes));

    public static void AssertEqual(CheckpointData expected, CheckpointData actual)
    {
        Assert.Equal(expected.JobName, actual.JobName);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.TimestampUnixMs, actual.TimestampUnixMs);
        Assert.Equal(expected.Operators.Keys.Order(StringComparer.Ordinal), actual.Operators.Keys.Order(StringComparer.Ordinal));
        foreach (var (uid, op) in expected.Operators)
        {
            var other = actual.Operators[uid];
            Assert.Equal(op.Parallelism, other.Parallelism);
            Assert.Equal(op.MaxParallelism, other.MaxParallelism);
            Assert.Equal(op.Subtasks.Count, other.Subtasks.Count);
            for (var i = 0; i < op.Subtasks.Count; i++)
            {
                var a = op.Subtasks[i];
                var b = other.Subtasks[i];
                Assert.Equal(a.OperatorState is null, b.OperatorState is null);
                if (a.OperatorState is not null)
                {
                    Assert.Equal(a.OperatorState, b.OperatorState);
                }

                Assert.Equal(a.KeyedState.Select(k => k.KeyGroup), b.KeyedState.Select(k => k.KeyGroup));
                for (var k = 0; k < a.KeyedState.Count; k++)
                {
                    Assert.Equal(a.KeyedState[k].Data, b.KeyedState[k].Data);
                }
            }
        }
    }

    // Content depends on the checkpoint and the slot, so a mixed-up file or offset shows as a mismatch.
    private static byte[] Bytes(long id, int slot, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((id * 31) + (slot * 7) + i);
        }

        return bytes;
    }
}
