using Etl.Pipeline;
using Etl.Pipeline.Runtime;

namespace Etl.Tests.Unit.Runtime.Dataflow;

public sealed class WatermarkValveTests
{
    [Fact]
    public void Watermark_IsTheMinimumOverInputs_AndOnlyMovesForward()
    {
        var valve = new WatermarkValve(2);

        Assert.Equal(ValveOutput.None, valve.OnWatermark(0, new Watermark(10)));
        Assert.Equal(ValveOutput.Advanced, valve.OnWatermark(1, new Watermark(5)));
        Assert.Equal(new Watermark(5), valve.Current);
        Assert.Equal(ValveOutput.None, valve.OnWatermark(1, new Watermark(3)));
        Assert.Equal(ValveOutput.Advanced, valve.OnWatermark(1, new Watermark(20)));
        Assert.Equal(new Watermark(10), valve.Current);
    }

    [Fact]
    public void IdleInput_StopsHoldingTheWatermarkBack_UntilItIsActiveAgain()
    {
        var valve = new WatermarkValve(2);
        valve.OnWatermark(0, new Watermark(10));

        Assert.Equal(ValveOutput.Advanced, valve.OnIdle(1));
        Assert.Equal(new Watermark(10), valve.Current);
        Assert.Equal(ValveOutput.BecameIdle, valve.OnIdle(0));

        valve.OnRecords(1);
        Assert.Equal(ValveOutput.Advanced, valve.OnWatermark(1, new Watermark(12)));
        Assert.Equal(new Watermark(12), valve.Current);
    }

    [Fact]
    public void EndOfInputOnEveryChannel_AdvancesToMax()
    {
        var valve = new WatermarkValve(2);
        valve.OnWatermark(0, new Watermark(1));
        valve.OnEndOfInput(0);

        Assert.Equal(ValveOutput.Advanced, valve.OnEndOfInput(1));
        Assert.Equal(Watermark.Max, valve.Current);
    }
}
