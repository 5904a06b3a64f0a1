using Etl.Pipeline;

namespace Etl.TwoPhaseCommit;

/// <summary>A pre-committed transaction, filed under the checkpoint whose barrier closed it.</summary>
/// <param name="CheckpointId">The checkpoint that must complete before it may commit.</param>
/// <param name="Handle">The participant's deterministic id for it (a PostgreSQL gid).</param>
public readonly record struct PendingTransaction(CheckpointId CheckpointId, string Handle);
