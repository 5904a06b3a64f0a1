namespace Etl.Pipeline.Graph;

/// <summary>
/// Builds a job graph fluently, for example
/// <c>b.AddSource("orders", kafka.Create).Parse("parse", Order.Parse).KeyBy(o => o.Customer).Window(WindowAssigner.Tumbling(TimeSpan.FromMinutes(1))).Aggregate("totals", Aggregates.Count&lt;Order&gt;()).SinkTo("sink", postgres.Create)</c>.
/// Every operator has a stable uid under which its state is stored; factories create one instance per subtask per
/// attempt. The result is a static description that a runtime (Runtime.JobRunner) runs.
/// </summary>
public sealed class JobBuilder
{
    private readonly List<JobVertex> _vertices = [];

    /// <summary>Adds a source (one instance per subtask, from <paramref name="factory"/>, for example a connector builder's <c>Create</c>).</summary>
    public DataStream<T> AddSource<T>(string uid, Func<SubtaskInfo, ISource<T>> factory, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var vertex = Add(new SourceVertex<T>(uid, parallelism, factory));
        return new DataStream<T>(this, vertex);
    }

    /// <summary>Checks the graph: unique uids, every source and operator has a consumer, every required side output is read.</summary>
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

        foreach (var vertex in _vertices)
        {
            foreach (var tag in vertex.RequiredSideOutputs.Where(t => !vertex.SideOutputs.Any(e => e.SideOutput == t)))
            {
                throw new InvalidOperationException(
                    $"Operator '{vertex.Uid}' emits side output '{tag}', but the job does not read it; connect SideOutput(tag) to a sink so its records are not lost.");
            }
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
}
