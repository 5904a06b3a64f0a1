namespace Etl.Pipeline.Graph;

/// <summary>
/// Turns a vertex of the static job graph into something typed (the runtime builds subtasks this way), so that the
/// graph describes the job and knows nothing of how it runs.
/// </summary>
internal interface IVertexVisitor<out TResult>
{
    TResult VisitSource<T>(SourceVertex<T> vertex);

    TResult VisitOperator<TIn, TOut>(OperatorVertex<TIn, TOut> vertex);

    TResult VisitSink<T>(SinkVertex<T> vertex);
}
