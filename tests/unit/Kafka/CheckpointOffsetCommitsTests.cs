using System.Collections.Concurrent;
using Etl.Connectors.Kafka;
using Etl.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Tests.Unit.Kafka;

public sealed class CheckpointOffsetCommitsTests
{
    private readonly ConcurrentQueue<long> _committed = new();

    [Fact]
    public async Task Complete_CommitsTheOffsetsOfThatCheckpoint_AndDropsOlderOnes()
    {
        var commits = new CheckpointOffsetCommits(o => _committed.Enqueue(o[0].NextOffset), "g", NullLogger.Instance);
        commits.Record(new CheckpointId(1), Offsets(10));
        commits.Record(new CheckpointId(2), Offsets(20));
        commits.Record(new CheckpointId(3), Offsets(30));

        commits.Complete(new CheckpointId(2));
        await commits.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([20L], _committed);
        Assert.Equal(1, commits.PendingCount);
    }

    [Fact]
    public async Task Complete_UnknownCheckpoint_CommitsNothingButSubsumesOlder()
    {
        var commits = new CheckpointOffsetCommits(o => _committed.Enqueue(o[0].NextOffset), "g", NullLogger.Instance);
        commits.Record(new CheckpointId(1), Offsets(10));

        commits.Complete(new CheckpointId(5));
        await commits.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(_committed);
        Assert.Equal(0, commits.PendingCount);
    }

    [Fact]
    public async Task Complete_CommitFails_IsToleratedAndTheNextOneStillRuns()
    {
        var calls = 0;
        var commits = new CheckpointOffsetCommits(
            o =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    throw new InvalidOperationException("coordinator not available");
                }

                _committed.Enqueue(o[0].NextOffset);
            },
            "g",
            NullLogger.Instance);
        commits.Record(new CheckpointId(1), Offsets(10));
        commits.Record(new CheckpointId(2), Offsets(20));

        commits.Complete(new CheckpointId(1));
        await commits.WaitAsync(TimeSpan.FromSeconds(10));
        commits.Complete(new CheckpointId(2));
        await commits.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([20L], _committed);
    }

    [Fact]
    public async Task Abort_DropsOnlyThatCheckpoint()
    {
        var commits = new CheckpointOffsetCommits(o => _committed.Enqueue(o[0].NextOffset), "g", NullLogger.Instance);
        commits.Record(new CheckpointId(1), Offsets(10));
        commits.Record(new CheckpointId(2), Offsets(20));

        commits.Abort(new CheckpointId(2));
        commits.Complete(new CheckpointId(2));
        await commits.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(_committed);
        Assert.Equal(0, commits.PendingCount);
    }

    private static List<KafkaPartitionState> Offsets(long offset) => [new KafkaPartitionState("t", 0, offset, long.MinValue)];
}
