using System.Threading.Channels;

namespace Etl.Pipeline.Runtime;

/// <summary>The bounded channels of one edge in one attempt: one per (upstream subtask, downstream subtask).</summary>
internal sealed class EdgeChannels<T>
{
    private readonly Channel<StreamElement<T>>[,] _channels;

    public EdgeChannels(int upstream, int downstream, int capacity)
    {
        _channels = new Channel<StreamElement<T>>[upstream, downstream];
        for (var u = 0; u < upstream; u++)
        {
            for (var d = 0; d < downstream; d++)
            {
                _channels[u, d] = Channel.CreateBounded<StreamElement<T>>(new BoundedChannelOptions(capacity)
                {
                    SingleReader = true,
                    SingleWriter = true,
                    FullMode = BoundedChannelFullMode.Wait,
                });
            }
        }
    }

    public IReadOnlyList<ChannelWriter<StreamElement<T>>> WritersOf(int upstreamSubtask) =>
        [.. Enumerable.Range(0, _channels.GetLength(1)).Select(d => _channels[upstreamSubtask, d].Writer)];

    public IReadOnlyList<ChannelReader<StreamElement<T>>> ReadersOf(int downstreamSubtask) =>
        [.. Enumerable.Range(0, _channels.GetLength(0)).Select(u => _channels[u, downstreamSubtask].Reader)];
}
