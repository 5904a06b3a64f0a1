using Etl.Pipeline;

namespace Etl.TwoPhaseCommit;

/// <summary>What the restore path committed, so that a participant can abort everything else it owns.</summary>
/// <param name="Context">The subtask's context (index, parallelism, restored checkpoint).</param>
/// <param name="Committed">The restored pending transactions, all committed by now.</param>
public sealed record RecoveryScope(OperatorContext Context, IReadOnlyList<PendingTransaction> Committed);
