namespace Etl.Pipeline.Checkpointing;

/// <summary>One subtask of one operator (by the operator's stable uid).</summary>
public readonly record struct SubtaskId(string OperatorId, int SubtaskIndex)
{
    public override string ToString() => $"{OperatorId}#{SubtaskIndex}";
}
