using Etl.Pipeline.State;
using Microsoft.Extensions.Logging;

namespace Etl.Pipeline;

/// <summary>
/// What a subtask knows about itself when it opens. Subtask index and parallelism are always explicit
/// (DESIGN 8): nothing may assume a single subtask.
/// </summary>
/// <param name="JobName">The stable job name; part of transaction ids and storage paths.</param>
/// <param name="OperatorId">The operator's stable uid, under which its state is stored.</param>
/// <param name="SubtaskIndex">This subtask, 0-based.</param>
/// <param name="Parallelism">How many subtasks the operator runs.</param>
/// <param name="MaxParallelism">The number of key groups.</param>
/// <param name="Restored">The state to restore, or null on a fresh start.</param>
/// <param name="Time">The clock; tests pass a fake one.</param>
/// <param name="LoggerFactory">Where to log.</param>
public sealed record OperatorContext(
    string JobName,
    string OperatorId,
    int SubtaskIndex,
    int Parallelism,
    int MaxParallelism,
    RestoredState? Restored,
    TimeProvider Time,
    ILoggerFactory LoggerFactory)
{
    /// <summary>The key groups this subtask owns.</summary>
    public KeyGroupRange KeyGroups => State.KeyGroups.RangeOf(SubtaskIndex, Parallelism, MaxParallelism);

    public bool IsRestored => Restored is not null;

    /// <summary>
    /// The job was started with allow-non-restored-state (<c>--allow-non-restored-state</c>): an operator whose
    /// restored state does not fit it any more (for example windows configured differently) drops that state
    /// instead of failing with <see cref="IncompatibleStateException"/>.
    /// </summary>
    public bool AllowNonRestoredState { get; init; }
}
