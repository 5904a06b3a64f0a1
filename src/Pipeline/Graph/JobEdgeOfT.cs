namespace Etl.Pipeline.Graph;

/// <summary>An edge carrying records of <typeparamref name="T"/>; keyed edges carry the stable key hash.</summary>
internal sealed class JobEdge<T>(JobVertex source, JobVertex target, Partitioning partitioning, Func<T, int>? keyHash, string? sideOutput)
    : JobEdge(source, target, partitioning, sideOutput)
{
    public Func<T, int>? KeyHash { get; } = keyHash;

    public override TResult Accept<TResult>(IEdgeVisitor<TResult> visitor) => visitor.VisitEdge(this);
}
