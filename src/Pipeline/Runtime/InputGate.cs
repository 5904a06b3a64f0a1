using System.Threading.Channels;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// The input channels of one subtask (one per upstream subtask). Reads round-robin from the
/// channels that are not blocked by barrier alignment; a blocked channel is simply not read, so its
/// upstream feels backpressure instead of the gate buffering without bound.
/// </summary>
internal sealed class InputGate<T>
{
    private readonly ChannelReader<StreamElement<T>>[] _channels;
    private readonly bool[] _blocked;
    private readonly Task<bool>?[] _waits;
    private readonly List<Task> _waitList = [];
    private int _next;

    public InputGate(IReadOnlyList<ChannelReader<StreamElement<T>>> channels)
    {
        _channels = [.. channels];
        _blocked = new bool[_channels.Length];
        _waits = new Task<bool>?[_channels.Length];
    }

    public int ChannelCount => _channels.Length;

    public void Block(int channel) => _blocked[channel] = true;

    public void UnblockAll() => Array.Clear(_blocked);

    /// <summary>
    /// The next element from an unblocked channel, or false when mail arrived first (the caller
    /// handles its mailbox and calls again).
    /// </summary>
    public async ValueTask<(bool HasElement, int Channel, StreamElement<T> Element)> ReadAsync(
        Mailbox mailbox, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = _channels.Length;
            for (var n = 0; n < count; n++)
            {
                var i = (_next + n) % count;
                if (!_blocked[i] && _channels[i].TryRead(out var element))
                {
                    // Round-robin per batch, so a busy channel never starves the others.
                    _next = i + 1;
                    return (true, i, element);
                }
            }

            var mailWait = mailbox.WaitAsync(cancellationToken);
            if (mailWait.IsCompleted)
            {
                return (false, -1, default);
            }

            _waitList.Clear();
            _waitList.Add(mailWait);
            for (var i = 0; i < count; i++)
            {
                if (_blocked[i])
                {
                    continue;
                }

                // Reuse a pending wait: a fresh WaitToReadAsync per idle loop would pile up waiters
                // on a channel that stays empty.
                if (_waits[i] is not { IsCompleted: false })
                {
                    _waits[i] = _channels[i].WaitToReadAsync(cancellationToken).AsTask();
                }

                _waitList.Add(_waits[i]!);
            }

            var done = await Task.WhenAny(_waitList);
            if (done == mailWait)
            {
                return (false, -1, default);
            }
        }
    }
}
