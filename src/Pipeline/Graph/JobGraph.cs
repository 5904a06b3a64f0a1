namespace Etl.Pipeline.Graph;

/// <summary>A validated job graph, built by <see cref="JobBuilder"/>; run it with a Runtime.JobRunner.</summary>
public sealed class JobGraph
{
    internal JobGraph(IReadOnlyList<JobVertex> vertices) => Vertices = vertices;

    internal IReadOnlyList<JobVertex> Vertices { get; }

    /// <summary>The stable uids of every source, operator and sink.</summary>
    public IReadOnlyList<string> OperatorIds => [.. Vertices.Select(v => v.Uid)];

    internal IEnumerable<JobEdge> Edges => Vertices.SelectMany(v => v.Outputs.Concat(v.SideOutputs));
}
