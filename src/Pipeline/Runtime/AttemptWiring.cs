using Etl.Pipeline.Graph;

namespace Etl.Pipeline.Runtime;

/// <summary>The channels of one attempt, per edge of the static graph; builds each subtask's input gate and output router.</summary>
internal sealed class AttemptWiring : IEdgeVisitor<object>
{
    private readonly Dictionary<JobEdge, object> _channels = [];
    private readonly int _channelCapacity;
    private readonly int _batchSize;
    private readonly int _maxParallelism;

    public AttemptWiring(IEnumerable<JobEdge> edges, int channelCapacity, int batchSize, int maxParallelism)
    {
        _channelCapacity = channelCapacity;
        _batchSize = batchSize;
        _maxParallelism = maxParallelism;
        foreach (var edge in edges)
        {
            _channels[edge] = edge.Accept(this);
        }
    }

    public InputGate<T> GateOf<T>(JobVertex vertex, int subtaskIndex) =>
        new([.. vertex.Inputs.SelectMany(edge => ((EdgeChannels<T>)_channels[edge]).ReadersOf(subtaskIndex))]);

    public OutputRouter<T> RouterOf<T>(JobVertex vertex, int subtaskIndex) =>
        new(
            [.. vertex.Outputs.Select(edge => OutputOf((JobEdge<T>)edge, subtaskIndex))],
            [.. vertex.SideOutputs.GroupBy(edge => edge.SideOutput!, StringComparer.Ordinal)
                .Select(tag => tag.First().Accept(new SideOutputBuilder(this, tag.Key, [.. tag], subtaskIndex)))]);

    object IEdgeVisitor<object>.VisitEdge<T>(JobEdge<T> edge) =>
        new EdgeChannels<T>(edge.Source.Parallelism, edge.Target.Parallelism, _channelCapacity);

    private EdgeOutput<T> OutputOf<T>(JobEdge<T> edge, int subtaskIndex) =>
        new(((EdgeChannels<T>)_channels[edge]).WritersOf(subtaskIndex), edge.Partitioning, edge.KeyHash, subtaskIndex, _maxParallelism, _batchSize);

    /// <summary>Builds the typed side output of one tag from its edges (all of one record type).</summary>
    private sealed class SideOutputBuilder(AttemptWiring wiring, string tagId, IReadOnlyList<JobEdge> edges, int subtaskIndex) : IEdgeVisitor<SideOutput>
    {
        public SideOutput VisitEdge<T>(JobEdge<T> edge) =>
            new SideOutput<T>(tagId, [.. edges.Select(e => wiring.OutputOf((JobEdge<T>)e, subtaskIndex))]);
    }
}
