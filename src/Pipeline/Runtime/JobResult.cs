using Etl.Pipeline.Checkpointing;

namespace Etl.Pipeline.Runtime;

/// <summary>How a job finished: the final checkpoint after end of input, or the stop-with-savepoint savepoint.</summary>
public sealed record JobResult(CheckpointHandle FinishedWith, int Attempts);
