namespace Etl.Pipeline.Graph;

/// <summary>Turns an edge of the static job graph into something typed by the records it carries (the runtime's channels).</summary>
internal interface IEdgeVisitor<out TResult>
{
    TResult VisitEdge<T>(JobEdge<T> edge);
}
