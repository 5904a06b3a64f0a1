using Etl.Pipeline.Runtime;

namespace Etl.Pipeline.Graph;

internal sealed class OperatorVertex<TIn, TOut>(string uid, int parallelism, Func<SubtaskInfo, IOperator<TIn, TOut>> factory)
    : JobVertex(uid, parallelism)
{
    public override bool IsSink => false;

    public override Subtask CreateSubtask(SubtaskEnvironment environment, SubtaskInfo info, AttemptWiring wiring) =>
        new OperatorSubtask<TIn, TOut>(
            environment, wiring.GateOf<TIn>(this, info.SubtaskIndex), factory(info), wiring.RouterOf<TOut>(this, info.SubtaskIndex));
}
