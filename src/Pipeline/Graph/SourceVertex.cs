namespace Etl.Pipeline.Graph;

internal sealed class SourceVertex<T>(string uid, int parallelism, Func<SubtaskInfo, ISource<T>> factory)
    : JobVertex(uid, parallelism)
{
    public Func<SubtaskInfo, ISource<T>> Factory { get; } = factory;

    public override bool IsSink => false;

    public override TResult Accept<TResult>(IVertexVisitor<TResult> visitor) => visitor.VisitSource(this);
}
