namespace Etl.Pipeline.Runtime;

/// <summary>
/// Combines the watermarks of a subtask's input channels: the subtask's watermark is the minimum over
/// the active (not idle) channels and only moves forward. An ended channel counts as
/// <see cref="Watermark.Max"/>, so end of input lets every window fire.
/// </summary>
internal sealed class WatermarkValve
{
    private readonly long[] _watermarks;
    private readonly bool[] _idle;
    private long _current = long.MinValue;
    private bool _allIdle;

    public WatermarkValve(int channels)
    {
        _watermarks = new long[channels];
        Array.Fill(_watermarks, long.MinValue);
        _idle = new bool[channels];
    }

    public Watermark Current => new(_current);

    /// <summary>Records arrived: an idle channel is active again.</summary>
    public void OnRecords(int channel)
    {
        if (_idle[channel])
        {
            _idle[channel] = false;
            _allIdle = false;
        }
    }

    public ValveOutput OnWatermark(int channel, Watermark watermark)
    {
        _idle[channel] = false;
        _allIdle = false;
        if (watermark.Timestamp > _watermarks[channel])
        {
            _watermarks[channel] = watermark.Timestamp;
        }

        return Recompute();
    }

    public ValveOutput OnIdle(int channel)
    {
        _idle[channel] = true;
        return Recompute();
    }

    public ValveOutput OnEndOfInput(int channel) => OnWatermark(channel, Watermark.Max);

    private ValveOutput Recompute()
    {
        var min = long.MaxValue;
        var anyActive = false;
        for (var i = 0; i < _watermarks.Length; i++)
        {
            if (!_idle[i])
            {
                anyActive = true;
                min = Math.Min(min, _watermarks[i]);
            }
        }

        if (!anyActive)
        {
            if (_allIdle)
            {
                return ValveOutput.None;
            }

            _allIdle = true;
            return ValveOutput.BecameIdle;
        }

        if (min > _current)
        {
            _current = min;
            return ValveOutput.Advanced;
        }

        return ValveOutput.None;
    }
}
