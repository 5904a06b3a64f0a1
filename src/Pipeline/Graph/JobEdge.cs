namespace Etl.Pipeline.Graph;

/// <summary>A connection from every subtask of one vertex to every subtask of another.</summary>
/// <param name="sideOutput">The id of the side output it carries, or null for the main output.</param>
internal abstract class JobEdge(JobVertex source, JobVertex target, Partitioning partitioning, string? sideOutput)
{
    public JobVertex Source { get; } = source;

    public JobVertex Target { get; } = target;

    public Partitioning Partitioning { get; } = partitioning;

    public string? SideOutput { get; } = sideOutput;

    public abstract TResult Accept<TResult>(IEdgeVisitor<TResult> visitor);
}
