namespace Etl.Tests.Unit.TwoPhaseCommit;

public sealed class InMemoryTransaction(int number)
{
    public int Number { get; } = number;

    public List<string> Rows { get; } = [];
}
