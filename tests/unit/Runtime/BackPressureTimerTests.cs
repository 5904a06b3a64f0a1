using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Etl.Pipeline.Runtime;

namespace Etl.Tests.Unit.Runtime;

/// <summary>Back-pressure is the time a subtask waits on a full channel, and only that.</summary>
public sealed class BackPressureTimerTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(double Ms, string? Operator, object? Subtask)> _measured = new();
    private readonly string _operator = "bp-" + Guid.NewGuid().ToString("N")[..8];

    public BackPressureTimerTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "etl.subtask.backpressured_time")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var operatorId = tags.ToArray().FirstOrDefault(t => t.Key == "operator").Value as string;
            if (operatorId == _operator)
            {
                _measured.Enqueue((value, operatorId, tags.ToArray().FirstOrDefault(t => t.Key == "subtask").Value));
            }
        });
        _listener.Start();
    }

    [Fact]
    public async Task Write_ChannelWithRoom_RecordsNothing()
    {
        var channel = Channel.CreateBounded<int>(2);
        var timer = new BackPressureTimer(_operator, 3);

        await timer.WriteAsync(channel.Writer, 1, CancellationToken.None);
        await timer.WriteAsync(channel.Writer, 2, CancellationToken.None);

        Assert.Empty(_measured);
        Assert.Equal(2, channel.Reader.Count);
    }

    [Fact]
    public async Task Write_FullChannel_WaitsForTheReader_AndRecordsTheWaitForItsSubtask()
    {
        var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.Wait });
        var timer = new BackPressureTimer(_operator, 3);
        await timer.WriteAsync(channel.Writer, 1, CancellationToken.None);

        var blocked = timer.WriteAsync(channel.Writer, 2, CancellationToken.None).AsTask();
        Assert.False(blocked.IsCompleted);
        Assert.Empty(_measured);
        Assert.Equal(1, await channel.Reader.ReadAsync());
        await blocked.WaitAsync(TimeSpan.FromSeconds(20));

        var (ms, operatorId, subtask) = Assert.Single(_measured);
        Assert.True(ms >= 0);
        Assert.Equal((_operator, 3), (operatorId, subtask));
        Assert.Equal(2, await channel.Reader.ReadAsync());
    }

    public void Dispose() => _listener.Dispose();
}
