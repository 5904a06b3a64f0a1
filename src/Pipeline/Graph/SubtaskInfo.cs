namespace Etl.Pipeline.Graph;

/// <summary>What a factory knows when it creates the instance for one subtask of one attempt.</summary>
/// <param name="Attempt">1 for the first run, incremented on every restart.</param>
public sealed record SubtaskInfo(string JobName, string OperatorId, int SubtaskIndex, int Parallelism, int MaxParallelism, int Attempt);
