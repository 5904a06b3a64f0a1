using Etl.Pipeline.Runtime;

namespace Etl.Pipeline.Graph;

/// <summary>The channels of one attempt, per edge; builds each subtask's input gate and output router.</summary>
internal sealed class AttemptWiring
{
    private readonly Dictionary<JobEdge, object> _channels = [];
    private readonly int _batchSize;
    private readonly int _maxParallelism;

    public AttemptWiring(IEnumerable<JobEdge> edges, int channelCapacity, int batchSize, int maxParallelism)
    {
        foreach (var edge in edges)
        {
            _channels[edge] = edge.CreateChannels(channelCapacity);
        }

        _batchSize = batchSize;
        _maxParallelism = maxParallelism;
    }

    public InputGate<T> GateOf<T>(JobVertex vertex, int subtaskIndex) =>
        new([.. vertex.Inputs.SelectMany(edge => ((EdgeChannels<T>)_channels[edge]).ReadersOf(subtaskIndex))]);

    public OutputRouter<T> RouterOf<T>(JobVertex vertex, int subtaskIndex)
    {
        var backPressure = new BackPressureTimer(vertex.Uid, subtaskIndex);
        return new([.. vertex.Outputs.Select(edge => new EdgeOutput<T>(
            ((EdgeChannels<T>)_channels[edge]).WritersOf(subtaskIndex), edge.Partitioning, ((JobEdge<T>)edge).KeyHash,
            subtaskIndex, _maxParallelism, _batchSize, backPressure))]);
    }
}
