using Etl.Pipeline.Runtime;

namespace Etl.Pipeline.Graph;

/// <summary>An edge carrying records of <typeparamref name="T"/>; keyed edges carry the stable key hash.</summary>
internal sealed class JobEdge<T>(JobVertex source, JobVertex target, Partitioning partitioning, Func<T, int>? keyHash)
    : JobEdge(source, target, partitioning)
{
    public Func<T, int>? KeyHash { get; } = keyHash;

    public override object CreateChannels(int capacity) => new EdgeChannels<T>(Source.Parallelism, Target.Parallelism, capacity);
}
