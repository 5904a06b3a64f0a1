using Etl.Pipeline.Checkpointing;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// Tracks barrier n over a subtask's input channels. In exactly-once mode a channel that delivered
/// barrier n is blocked until every channel has, so nothing after barrier n enters snapshot n. In
/// at-least-once mode nothing is blocked; the snapshot is taken when the last barrier arrives, so
/// records after barrier n on a fast channel may be in snapshot n (and are replayed after a restore).
/// </summary>
internal sealed class BarrierAligner<T>
{
    private readonly InputGate<T> _gate;
    private readonly CheckpointingMode _mode;
    private readonly bool[] _received;
    private int _receivedCount;
    private CheckpointId _current = CheckpointId.None;

    public BarrierAligner(InputGate<T> gate, CheckpointingMode mode)
    {
        _gate = gate;
        _mode = mode;
        _received = new bool[gate.ChannelCount];
    }

    /// <summary>Returns true when <paramref name="barrier"/> has now arrived on every channel.</summary>
    public bool OnBarrier(int channel, CheckpointBarrier barrier)
    {
        if (barrier.Id < _current)
        {
            // Barriers travel in id order on each channel, so an older one means a channel lags a
            // checkpoint that was already given up on; nothing to do.
            return false;
        }

        if (barrier.Id > _current)
        {
            // A newer checkpoint subsumes an unfinished alignment.
            Reset();
            _current = barrier.Id;
        }

        if (!_received[channel])
        {
            _received[channel] = true;
            _receivedCount++;
            if (_mode == CheckpointingMode.ExactlyOnce)
            {
                _gate.Block(channel);
            }
        }

        if (_receivedCount < _received.Length)
        {
            return false;
        }

        Reset();
        return true;
    }

    private void Reset()
    {
        Array.Clear(_received);
        _receivedCount = 0;
        _gate.UnblockAll();
    }
}
