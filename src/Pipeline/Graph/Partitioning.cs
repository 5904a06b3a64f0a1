namespace Etl.Pipeline.Graph;

/// <summary>How records of one stage are spread over the subtasks of the next.</summary>
internal enum Partitioning
{
    /// <summary>Subtask i feeds subtask i (same parallelism on both sides).</summary>
    Forward,

    /// <summary>Round-robin over the downstream subtasks.</summary>
    Rebalance,

    /// <summary>By key group of the record's stable key hash, so a key always meets its state.</summary>
    Keyed,
}
