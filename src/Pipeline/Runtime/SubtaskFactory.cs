using Etl.Pipeline.Graph;

namespace Etl.Pipeline.Runtime;

/// <summary>Builds one subtask of one attempt from a vertex of the static graph: the user instance from its factory, wired to the attempt's channels.</summary>
internal sealed class SubtaskFactory(SubtaskEnvironment environment, SubtaskInfo info, AttemptWiring wiring) : IVertexVisitor<Subtask>
{
    public Subtask VisitSource<T>(SourceVertex<T> vertex) =>
        new SourceSubtask<T>(environment, vertex.Factory(info), wiring.RouterOf<T>(vertex, info.SubtaskIndex));

    public Subtask VisitOperator<TIn, TOut>(OperatorVertex<TIn, TOut> vertex) =>
        new OperatorSubtask<TIn, TOut>(
            environment, wiring.GateOf<TIn>(vertex, info.SubtaskIndex), vertex.Factory(info), wiring.RouterOf<TOut>(vertex, info.SubtaskIndex));

    public Subtask VisitSink<T>(SinkVertex<T> vertex) =>
        new SinkSubtask<T>(environment, wiring.GateOf<T>(vertex, info.SubtaskIndex), vertex.Factory(info));
}
