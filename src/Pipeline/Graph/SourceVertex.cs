using Etl.Pipeline.Runtime;

namespace Etl.Pipeline.Graph;

internal sealed class SourceVertex<T>(string uid, int parallelism, Func<SubtaskInfo, ISource<T>> factory)
    : JobVertex(uid, parallelism)
{
    public override bool IsSink => false;

    public override Subtask CreateSubtask(SubtaskEnvironment environment, SubtaskInfo info, AttemptWiring wiring) =>
        new SourceSubtask<T>(environment, factory(info), wiring.RouterOf<T>(this, info.SubtaskIndex));
}
