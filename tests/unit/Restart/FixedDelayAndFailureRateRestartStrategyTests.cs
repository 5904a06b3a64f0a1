using Etl.Pipeline.Restart;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Restart;

public sealed class FixedDelayAndFailureRateRestartStrategyTests
{
    private static readonly Exception Failure = new InvalidOperationException("an attempt failed");

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void FixedDelay_Defaults_RestartOnceAfterOneSecondThenFail()
    {
        var strategy = RestartStrategies.Create(new RestartStrategyOptions { Kind = RestartStrategyKind.FixedDelay }, _time);

        var first = strategy.OnFailure(Failure);
        var second = strategy.OnFailure(Failure);

        Assert.Equal((true, TimeSpan.FromSeconds(1), 1), (first.ShouldRestart, first.Delay, first.Attempt));
        Assert.False(second.ShouldRestart);
        Assert.Contains("exhausted", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FixedDelay_CountsAttemptsOverTheJobsLifeWhateverTheTime()
    {
        var strategy = RestartStrategies.Create(
            new RestartStrategyOptions { Kind = RestartStrategyKind.FixedDelay, FixedDelay = new() { Attempts = 3, Delay = TimeSpan.FromSeconds(5) } },
            _time);

        var decisions = new List<RestartDecision>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add(strategy.OnFailure(Failure));
            _time.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal([true, true, true, false], decisions.Select(d => d.ShouldRestart));
        Assert.All(decisions.Take(3), d => Assert.Equal(TimeSpan.FromSeconds(5), d.Delay));
    }

    [Fact]
    public void None_FailsOnTheFirstFailure()
    {
        var strategy = RestartStrategies.Create(new RestartStrategyOptions { Kind = RestartStrategyKind.None }, _time);

        Assert.False(strategy.OnFailure(Failure).ShouldRestart);
    }

    [Fact]
    public void FailureRate_Defaults_OneFailurePerMinuteIsTolerated_ASecondWithinTheMinuteIsNot()
    {
        var strategy = RestartStrategies.Create(new RestartStrategyOptions { Kind = RestartStrategyKind.FailureRate }, _time);

        var first = strategy.OnFailure(Failure);
        _time.Advance(TimeSpan.FromSeconds(59));
        var second = strategy.OnFailure(Failure);

        Assert.Equal((true, TimeSpan.FromSeconds(1)), (first.ShouldRestart, first.Delay));
        Assert.False(second.ShouldRestart);
        Assert.Contains("failure-rate exceeded", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FailureRate_FailuresAnIntervalApart_AlwaysRestart()
    {
        var strategy = RestartStrategies.Create(new RestartStrategyOptions { Kind = RestartStrategyKind.FailureRate }, _time);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(strategy.OnFailure(Failure).ShouldRestart);
            _time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public void FailureRate_WindowSlides_OldFailuresStopCounting()
    {
        var strategy = RestartStrategies.Create(
            new RestartStrategyOptions
            {
                Kind = RestartStrategyKind.FailureRate,
                FailureRate = new() { MaxFailuresPerInterval = 3, FailureRateInterval = TimeSpan.FromMinutes(10), Delay = TimeSpan.FromSeconds(2) },
            },
            _time);
        var start = _time.GetUtcNow();

        bool FailAt(double minutes)
        {
            _time.Set(start + TimeSpan.FromMinutes(minutes));
            return strategy.OnFailure(Failure).ShouldRestart;
        }

        Assert.True(FailAt(0));
        Assert.True(FailAt(4));
        Assert.True(FailAt(8));
        Assert.True(FailAt(10.5));
        Assert.False(FailAt(11));
    }
}
