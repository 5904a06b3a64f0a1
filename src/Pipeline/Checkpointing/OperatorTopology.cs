namespace Etl.Pipeline.Checkpointing;

/// <summary>An operator as the coordinator sees it: its uid and how many subtasks acknowledge for it.</summary>
internal sealed record OperatorTopology(string OperatorId, int Parallelism);
