namespace Etl.Pipeline.Runtime;

/// <summary>The writing ends of one side output of a subtask: every edge that reads that tag.</summary>
internal abstract class SideOutput(string tagId)
{
    public string TagId { get; } = tagId;

    public abstract void Broadcast<TMain>(StreamElement<TMain> control);

    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);
}
