namespace Etl.Pipeline.Graph;

internal sealed class SinkVertex<T>(string uid, int parallelism, Func<SubtaskInfo, ISink<T>> factory)
    : JobVertex(uid, parallelism)
{
    public Func<SubtaskInfo, ISink<T>> Factory { get; } = factory;

    public override bool IsSink => true;

    public override TResult Accept<TResult>(IVertexVisitor<TResult> visitor) => visitor.VisitSink(this);
}
