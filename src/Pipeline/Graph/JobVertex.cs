using Etl.Pipeline.Runtime;

namespace Etl.Pipeline.Graph;

/// <summary>An operator of the job graph (source, operator or sink) with its stable uid and parallelism.</summary>
internal abstract class JobVertex(string uid, int parallelism)
{
    public string Uid { get; } = uid;

    public int Parallelism { get; } = parallelism;

    public List<JobEdge> Inputs { get; } = [];

    public List<JobEdge> Outputs { get; } = [];

    public abstract bool IsSink { get; }

    /// <summary>Creates the user instance through the factory and wraps it in a subtask of this attempt.</summary>
    public abstract Subtask CreateSubtask(SubtaskEnvironment environment, SubtaskInfo info, AttemptWiring wiring);
}
