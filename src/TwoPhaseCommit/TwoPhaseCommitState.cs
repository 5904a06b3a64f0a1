namespace Etl.TwoPhaseCommit;

/// <summary>
/// The sink's checkpoint state: pending transactions by checkpoint id and the open one. Version 1.
/// </summary>
internal sealed record TwoPhaseCommitState(int Version, IReadOnlyList<PendingTransactionState> Pending, string? Open)
{
    public const int CurrentVersion = 1;
}
