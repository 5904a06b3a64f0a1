using Etl.Pipeline.Runtime;

namespace Etl.Pipeline.Graph;

/// <summary>
/// Builds a job graph fluently: <c>b.AddSource(...).KeyBy(...).Process(...).SinkTo(...)</c>. Every
/// operator has a stable uid under which its state is stored; factories create one instance per
/// subtask per attempt.
/// </summary>
public sealed class JobBuilder
{
    private readonly List<JobVertex> _vertices = [];

    public DataStream<T> AddSource<T>(string uid, Func<SubtaskInfo, ISource<T>> factory, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var vertex = Add(new SourceVertex<T>(uid, parallelism, factory));
        return new DataStream<T>(this, vertex);
    }

    /// <summary>Checks the graph: unique uids, and every source and operator has a consumer.</summary>
    public JobGraph Build()
    {
        if (_vertices.Count == 0)
        {
            throw new InvalidOperationException("The job has no sources; add one with AddSource.");
        }

        foreach (var vertex in _vertices.Where(v => !v.IsSink && v.Outputs.Count == 0))
        {
            throw new InvalidOperationException($"Operator '{vertex.Uid}' has no downstream operator or sink; connect it or remove it.");
        }

        return new JobGraph([.. _vertices]);
    }

    internal TVertex Add<TVertex>(TVertex vertex)
        where TVertex : JobVertex
    {
        if (string.IsNullOrWhiteSpace(vertex.Uid))
        {
            throw new ArgumentException("An operator uid must not be empty: it names the operator's state in checkpoints.");
        }

        if (vertex.Parallelism < 1)
        {
            throw new ArgumentException($"Operator '{vertex.Uid}': parallelism must be at least 1, was {vertex.Parallelism}.");
        }

        if (_vertices.Any(v => v.Uid == vertex.Uid))
        {
            throw new ArgumentException($"Operator uid '{vertex.Uid}' is used twice; uids must be unique within a job.");
        }

        _vertices.Add(vertex);
        return vertex;
    }

    internal static void Connect<T>(JobVertex from, JobVertex to, Func<T, int>? keyHash)
    {
        var partitioning = keyHash is not null ? Partitioning.Keyed
            : from.Parallelism == to.Parallelism ? Partitioning.Forward
            : Partitioning.Rebalance;
        var edge = new JobEdge<T>(from, to, partitioning, keyHash);
        from.Outputs.Add(edge);
        to.Inputs.Add(edge);
    }
}
