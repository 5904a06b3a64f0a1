using Etl.Pipeline.Runtime;

namespace Etl.Pipeline.Graph;

internal sealed class SinkVertex<T>(string uid, int parallelism, Func<SubtaskInfo, ISink<T>> factory)
    : JobVertex(uid, parallelism)
{
    public override bool IsSink => true;

    public override Subtask CreateSubtask(SubtaskEnvironment environment, SubtaskInfo info, AttemptWiring wiring) =>
        new SinkSubtask<T>(environment, wiring.GateOf<T>(this, info.SubtaskIndex), factory(info));
}
