using Etl.Pipeline;
using Etl.Pipeline.State;

namespace Etl.Tests.Unit.State;

public sealed class KeyGroupsTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("hello", 0x248bfa47u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x2e4ff723u)]
    public void StableHash_IsMurmur3WithSeedZero(string input, uint expected) =>
        Assert.Equal(unchecked((int)expected), StableHash.Of(input));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(128)]
    public void Ranges_CoverEveryKeyGroupExactlyOnce_AndAgreeWithSubtaskOf(int parallelism)
    {
        const int Max = 128;
        var owner = new int[Max];
        Array.Fill(owner, -1);
        for (var subtask = 0; subtask < parallelism; subtask++)
        {
            var range = KeyGroups.RangeOf(subtask, parallelism, Max);
            for (var g = range.First; g <= range.Last; g++)
            {
                Assert.Equal(-1, owner[g]);
                owner[g] = subtask;
                Assert.Equal(subtask, KeyGroups.SubtaskOf(g, parallelism, Max));
            }
        }

        Assert.DoesNotContain(-1, owner);
    }

    [Fact]
    public void StateAssignment_ScaleDown_GivesOrphanedOperatorStateToJModP_AndKeyedStateByRange()
    {
        var old = Enumerable.Range(0, 4)
            .Select(j => new OperatorSnapshot([(byte)j], [new KeyGroupState(j * 32, [(byte)j])]))
            .ToList();

        var subtask1 = StateAssignment.For(new CheckpointId(9), old, subtaskIndex: 1, parallelism: 2, maxParallelism: 128);

        Assert.Equal([1, 3], subtask1.OperatorState.Select(s => s.SubtaskIndex));
        Assert.Equal(4, subtask1.UnionOperatorState.Count);
        Assert.Equal([64, 96], subtask1.KeyedState.Select(k => k.KeyGroup));
        Assert.Equal(4, subtask1.OldParallelism);
    }

    [Fact]
    public void StateAssignment_KeyGroupOutsideMaxParallelism_FailsNamingTheCause()
    {
        var old = new[] { new OperatorSnapshot(null, [new KeyGroupState(200, [1])]) };

        var error = Assert.Throws<InvalidOperationException>(
            () => StateAssignment.For(new CheckpointId(3), old, 0, 1, 128));

        Assert.Contains("max parallelism", error.Message, StringComparison.Ordinal);
    }
}
