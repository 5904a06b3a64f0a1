namespace Etl.Pipeline.Graph;

internal sealed class OperatorVertex<TIn, TOut>(string uid, int parallelism, Func<SubtaskInfo, IOperator<TIn, TOut>> factory)
    : JobVertex(uid, parallelism)
{
    public Func<SubtaskInfo, IOperator<TIn, TOut>> Factory { get; } = factory;

    public override bool IsSink => false;

    public override TResult Accept<TResult>(IVertexVisitor<TResult> visitor) => visitor.VisitOperator(this);
}
