using Etl.Pipeline.Runtime;

namespace Etl.Pipeline.Graph;

/// <summary>A connection from every subtask of one vertex to every subtask of another.</summary>
internal abstract class JobEdge(JobVertex source, JobVertex target, Partitioning partitioning)
{
    public JobVertex Source { get; } = source;

    public JobVertex Target { get; } = target;

    public Partitioning Partitioning { get; } = partitioning;

    public abstract object CreateChannels(int capacity);
}
