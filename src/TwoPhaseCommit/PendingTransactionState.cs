namespace Etl.TwoPhaseCommit;

/// <summary>One pending transaction as stored in <see cref="TwoPhaseCommitState"/>.</summary>
internal sealed record PendingTransactionState(long CheckpointId, string Handle);
