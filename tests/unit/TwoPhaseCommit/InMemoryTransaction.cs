namespace Etl.Tests.Unit.TwoPhaseCommit;

public sealed class InMemoryTransaction(int number)
{
    public int Number { get; } = number;

    public List<string> Rows { get; } = [];

    /// <summary>Rolled back by the store (a refused PREPARE): like a PostgreSQL transaction, it takes no more statements.</summary>
    public bool Aborted { get; set; }
}
