using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Checkpointing.Storage;

/// <summary>The ICheckpointStorage contract, run against every storage so they cannot drift apart.</summary>
public abstract class CheckpointStorageContractTests
{
    private const string Job = "contract";

    protected abstract ICheckpointStorage Storage(int numRetained = 3);

    [Fact]
    public async Task RandomCheckpoints_RoundTripByteExact()
    {
        var random = new Random(7);
        var storage = Storage(numRetained: 100);
        for (var id = 1; id <= 30; id++)
        {
            var data = RandomCheckpoint(random, id);
            var handle = await storage.CommitAsync(data, default);

            CheckpointSamples.AssertEqual(data, (await storage.LatestAsync(Job, default)).Checkpoint!);
            CheckpointSamples.AssertEqual(data, await storage.LoadAsync(handle.Location, default));
        }
    }

    [Fact]
    public async Task ConcurrentCommits_KeepExactlyTheNewestNumRetained()
    {
        var storage = Storage(numRetained: 3);

        await Task.WhenAll(Enumerable.Range(1, 12).Select(id => storage.CommitAsync(CheckpointSamples.Build(Job, id), default).AsTask()));

        Assert.Equal([10L, 11L, 12L], (await storage.ListAsync(Job, default)).Select(h => h.Id.Value));
        Assert.Equal(new CheckpointId(12), await storage.HighestIdAsync(Job, default));
    }

    [Fact]
    public async Task HighestId_IsTheMaximumOfReservedCommittedAndSavepointIds()
    {
        var storage = Storage();
        await storage.ReserveAsync(Job, new CheckpointId(1), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1), default);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 2, CheckpointKind.Savepoint), default);
        Assert.Equal(new CheckpointId(2), await storage.HighestIdAsync(Job, default));

        await storage.ReserveAsync(Job, new CheckpointId(3), default);

        Assert.Equal(new CheckpointId(3), await storage.HighestIdAsync(Job, default));
        // A reserved id is no restore point; the savepoint is the newest one.
        Assert.Equal(new CheckpointId(2), (await storage.LatestAsync(Job, default)).Checkpoint!.Id);
    }

    [Fact]
    public async Task Savepoints_AreNeverSubsumedByRetention()
    {
        var storage = Storage(numRetained: 1);
        await storage.CommitAsync(CheckpointSamples.Build(Job, 1, CheckpointKind.Savepoint), default);
        for (var id = 2; id <= 5; id++)
        {
            await storage.CommitAsync(CheckpointSamples.Build(Job, id), default);
        }

        var handles = await storage.ListAsync(Job, default);

        Assert.Equal([(1L, CheckpointKind.Savepoint), (5L, CheckpointKind.Checkpoint)], handles.Select(h => (h.Id.Value, h.Kind)));
        CheckpointSamples.AssertEqual(CheckpointSamples.Build(Job, 1, CheckpointKind.Savepoint), await storage.LoadAsync(handles[0].Location, default));
    }

    [Fact]
    public async Task Commit_SubtaskCountNotTheParallelism_IsRefused()
    {
        var storage = Storage();
        var data = CheckpointSamples.Build(Job, 1);
        var ops = data.Operators.ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        ops["pg-sink"] = ops["pg-sink"] with { Parallelism = 2 };

        await Assert.ThrowsAsync<ArgumentException>(async () => await storage.CommitAsync(data with { Operators = ops }, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await storage.ReserveAsync(Job, CheckpointId.None, default));
    }

    [Fact]
    public async Task EmptyJob_HasNothing()
    {
        var storage = Storage();

        Assert.Equal(CheckpointId.None, await storage.HighestIdAsync(Job, default));
        Assert.Null((await storage.LatestAsync(Job, default)).Checkpoint);
        Assert.Empty(await storage.ListAsync(Job, default));
    }

    private static CheckpointData RandomCheckpoint(Random random, long id)
    {
        var operators = new Dictionary<string, OperatorCheckpoint>(StringComparer.Ordinal);
        var count = random.Next(1, 5);
        for (var o = 0; o < count; o++)
        {
            var maxParallelism = random.Next(1, 200);
            var parallelism = random.Next(1, Math.Min(maxParallelism, 5) + 1);
            var subtasks = new List<OperatorSnapshot>();
            for (var s = 0; s < parallelism; s++)
            {
                var range = KeyGroups.RangeOf(s, parallelism, maxParallelism);
                var keyed = Enumerable.Range(range.First, range.Count)
                    .Where(_ => random.Next(3) == 0)
                    .Select(g => new KeyGroupState(g, Bytes(random, random.Next(0, 300))))
                    .ToList();
                subtasks.Add(new OperatorSnapshot(random.Next(3) == 0 ? null : Bytes(random, random.Next(0, 500)), keyed));
            }

            operators[$"op {o}/{random.Next(1000)}"] = new OperatorCheckpoint(parallelism, maxParallelism, subtasks);
        }

        return new CheckpointData(Job, new CheckpointId(id), CheckpointKind.Checkpoint, random.NextInt64(0, long.MaxValue), operators);
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
