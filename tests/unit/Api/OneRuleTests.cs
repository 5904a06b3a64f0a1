using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.Api;

public sealed class OneRuleTests
{
    [Theory]
    [InlineData(0, 3, 0)]
    [InlineData(2, 3, 2)]
    [InlineData(3, 3, 0)]
    [InlineData(7, 3, 1)]
    [InlineData(5, 1, 0)]
    public void SubtaskOwnership_GivesOldIndexJToSubtaskJModP(int index, int parallelism, int owner)
    {
        Assert.Equal(owner, SubtaskOwnership.OwnerOf(index, parallelism));
        Assert.All(Enumerable.Range(0, parallelism), s => Assert.Equal(s == owner, SubtaskOwnership.Owns(s, index, parallelism)));
    }

    [Fact]
    public void SubtaskOwnership_RefusesANegativeIndexOrNoSubtasks()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SubtaskOwnership.OwnerOf(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubtaskOwnership.OwnerOf(1, 0));
    }

    [Fact]
    public void RetentionSubsumes_AllButTheNewestRetained_OldestFirst()
    {
        Assert.Equal([2L, 3], CheckpointRetentionRules.Subsumed([5, 3, 2, 4, 6], 3));
        Assert.Empty(CheckpointRetentionRules.Subsumed([1, 2], 3));
    }
}
