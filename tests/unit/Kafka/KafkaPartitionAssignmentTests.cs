using Etl.Connectors.Kafka;

namespace Etl.Tests.Unit.Kafka;

public sealed class KafkaPartitionAssignmentTests
{
    [Theory]
    [InlineData(0, 3, 0)]
    [InlineData(4, 3, 1)]
    [InlineData(5, 3, 2)]
    [InlineData(7, 1, 0)]
    public void Partition_GoesToPartitionModParallelism(int partition, int parallelism, int expected) =>
        Assert.Equal(expected, KafkaPartitionAssignment.OwnerOf(partition, parallelism));

    [Fact]
    public void Restore_AfterScaleDown_TakesOrphanedPartitionsFromEveryOldSubtask()
    {
        // Old job: parallelism 3, six partitions, each old subtask owned p with p mod 3 == i.
        var old = Enumerable.Range(0, 3).Select(i => State(Enumerable.Range(0, 6).Where(p => p % 3 == i).ToArray())).ToList();

        var subtask0 = KafkaPartitionAssignment.Select(old, subtaskIndex: 0, parallelism: 2);
        var subtask1 = KafkaPartitionAssignment.Select(old, subtaskIndex: 1, parallelism: 2);

        Assert.Equal([0, 2, 4], subtask0.Select(p => p.Partition));
        Assert.Equal([1, 3, 5], subtask1.Select(p => p.Partition));
        Assert.All(subtask0.Concat(subtask1), p => Assert.Equal(100 + p.Partition, p.NextOffset));
    }

    [Fact]
    public void Restore_AfterScaleUp_EveryPartitionHasExactlyOneOwner()
    {
        var old = new[] { State(0, 1, 2, 3, 4) };

        var owners = Enumerable.Range(0, 4).SelectMany(i => KafkaPartitionAssignment.Select(old, i, 4)).ToList();

        Assert.Equal([0, 1, 2, 3, 4], owners.Select(p => p.Partition).Order());
    }

    [Fact]
    public void Restore_PartitionInTwoOldStates_KeepsTheFurthestPosition()
    {
        var a = new KafkaSourceState(1, [new KafkaPartitionState("t", 0, 10, long.MinValue)]);
        var b = new KafkaSourceState(1, [new KafkaPartitionState("t", 0, 42, long.MinValue)]);

        var mine = KafkaPartitionAssignment.Select([a, b], 0, 1);

        Assert.Equal(42, Assert.Single(mine).NextOffset);
    }

    [Fact]
    public void Restore_SamePartitionNumberInTwoTopics_KeepsBoth()
    {
        var state = new KafkaSourceState(1, [new KafkaPartitionState("a", 0, 1, 0), new KafkaPartitionState("b", 0, 2, 0)]);

        var mine = KafkaPartitionAssignment.Select([state], 0, 1);

        Assert.Equal(["a", "b"], mine.Select(p => p.Topic));
    }

    private static KafkaSourceState State(params int[] partitions) =>
        new(1, [.. partitions.Select(p => new KafkaPartitionState("t", p, 100 + p, long.MinValue))]);
}
