using Etl.Pipeline.Restart;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Restart;

public sealed class ExponentialDelayRestartStrategyTests
{
    private static readonly Exception Failure = new InvalidOperationException("an attempt failed");

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Defaults_AreFlink119s()
    {
        var options = new ExponentialDelayRestartOptions();

        Assert.Equal(TimeSpan.FromSeconds(1), options.InitialBackoff);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaxBackoff);
        Assert.Equal(1.5, options.BackoffMultiplier);
        Assert.Equal(0.1, options.JitterFactor);
        Assert.Equal(TimeSpan.FromHours(1), options.ResetBackoffThreshold);
        Assert.Equal(RestartStrategyKind.ExponentialDelay, new RestartStrategyOptions().Kind);
    }

    [Fact]
    public void RepeatedFailures_DelaysGrowByTheMultiplierUpToTheMaxBackoff()
    {
        var strategy = Create(new ExponentialDelayRestartOptions { JitterFactor = 0 });
        double[] expectedSeconds = [1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 11.390625, 17.0859375, 25.62890625, 38.443359375, 57.6650390625, 60, 60];

        var delays = new List<double>();
        foreach (var _ in expectedSeconds)
        {
            var decision = strategy.OnFailure(Failure);
            Assert.True(decision.ShouldRestart);
            delays.Add(decision.Delay.TotalSeconds);
            _time.Advance(decision.Delay + TimeSpan.FromMinutes(5));
        }

        Assert.Equal(expectedSeconds, delays, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void StableRunForTheResetThreshold_StartsAgainFromTheInitialBackoff()
    {
        var strategy = Create(new ExponentialDelayRestartOptions { JitterFactor = 0 });
        _ = strategy.OnFailure(Failure);
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = strategy.OnFailure(Failure);
        _time.Advance(second.Delay + TimeSpan.FromHours(1));

        var afterStableRun = strategy.OnFailure(Failure);

        Assert.Equal(TimeSpan.FromSeconds(1.5), second.Delay);
        Assert.Equal(TimeSpan.FromSeconds(1), afterStableRun.Delay);
        Assert.Equal(1, afterStableRun.Attempt);
    }

    [Fact]
    public void RunShorterThanTheResetThreshold_KeepsGrowing()
    {
        var strategy = Create(new ExponentialDelayRestartOptions { JitterFactor = 0 });
        var first = strategy.OnFailure(Failure);
        // The stable run is counted from the restart, not from the failure: delay + 59:59 is not enough.
        _time.Advance(first.Delay + TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1.5), strategy.OnFailure(Failure).Delay);
    }

    [Fact]
    public void Jitter_MovesEachDelayByAtMostTheJitterFactor()
    {
        var random = new Random(20261121);
        var delays = new List<double>();
        for (var run = 0; run < 200; run++)
        {
            var strategy = Create(new ExponentialDelayRestartOptions { JitterFactor = 0.1 }, random);
            delays.Add(strategy.OnFailure(Failure).Delay.TotalMilliseconds);
            delays.Add(strategy.OnFailure(Failure).Delay.TotalMilliseconds / 1.5);
        }

        Assert.All(delays, d => Assert.InRange(d, 900, 1100));
        Assert.Contains(delays, d => d < 950);
        Assert.Contains(delays, d => d > 1050);
    }

    [Fact]
    public void Jitter_IsUniformAroundTheBackoff()
    {
        var strategy = Create(new ExponentialDelayRestartOptions { JitterFactor = 0.2 }, new ScriptedRandom(0, 0.5, 0.75));

        Assert.Equal(TimeSpan.FromMilliseconds(800), strategy.OnFailure(Failure).Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), strategy.OnFailure(Failure).Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(2250 * 1.1), strategy.OnFailure(Failure).Delay);
    }

    [Fact]
    public void AttemptsBeforeResetBackoff_Exhausted_FailsTheJob()
    {
        var strategy = Create(new ExponentialDelayRestartOptions { JitterFactor = 0, AttemptsBeforeResetBackoff = 2 });

        Assert.True(strategy.OnFailure(Failure).ShouldRestart);
        Assert.True(strategy.OnFailure(Failure).ShouldRestart);
        var third = strategy.OnFailure(Failure);

        Assert.False(third.ShouldRestart);
        Assert.Contains("2 restarts", third.Reason, StringComparison.Ordinal);
    }

    private IRestartStrategy Create(ExponentialDelayRestartOptions options, Random? random = null) =>
        RestartStrategies.Create(
            new RestartStrategyOptions { Kind = RestartStrategyKind.ExponentialDelay, ExponentialDelay = options },
            _time,
            random ?? new ScriptedRandom(0.5));
}
