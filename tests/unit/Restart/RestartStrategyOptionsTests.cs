using Etl.Pipeline.Restart;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Restart;

public sealed class RestartStrategyOptionsTests
{
    private static readonly Exception Failure = new InvalidOperationException("an attempt failed");

    public static TheoryData<RestartStrategyOptions, string> BadOptions => new()
    {
        { new() { Kind = RestartStrategyKind.FixedDelay, FixedDelay = new() { Attempts = -1 } }, "RestartStrategyOptions.FixedDelay.Attempts" },
        { new() { Kind = RestartStrategyKind.FixedDelay, FixedDelay = new() { Delay = TimeSpan.FromSeconds(-1) } }, "RestartStrategyOptions.FixedDelay.Delay" },
        { new() { ExponentialDelay = new() { JitterFactor = 1.5 } }, "RestartStrategyOptions.ExponentialDelay.JitterFactor" },
        { new() { ExponentialDelay = new() { BackoffMultiplier = 0.5 } }, "RestartStrategyOptions.ExponentialDelay.BackoffMultiplier" },
        { new() { ExponentialDelay = new() { BackoffMultiplier = double.NaN } }, "RestartStrategyOptions.ExponentialDelay.BackoffMultiplier" },
        { new() { ExponentialDelay = new() { MaxBackoff = TimeSpan.FromMilliseconds(10) } }, "RestartStrategyOptions.ExponentialDelay.MaxBackoff" },
        { new() { ExponentialDelay = new() { InitialBackoff = TimeSpan.Zero } }, "RestartStrategyOptions.ExponentialDelay.InitialBackoff" },
        { new() { ExponentialDelay = new() { ResetBackoffThreshold = TimeSpan.Zero } }, "RestartStrategyOptions.ExponentialDelay.ResetBackoffThreshold" },
        { new() { Kind = RestartStrategyKind.FailureRate, FailureRate = new() { MaxFailuresPerInterval = 0 } }, "RestartStrategyOptions.FailureRate.MaxFailuresPerInterval" },
        { new() { Kind = RestartStrategyKind.FailureRate, FailureRate = new() { FailureRateInterval = TimeSpan.Zero } }, "RestartStrategyOptions.FailureRate.FailureRateInterval" },
        { new() { Kind = (RestartStrategyKind)42 }, "RestartStrategyOptions.Kind" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Create_WithABadSetting_FailsNamingIt(RestartStrategyOptions options, string setting)
    {
        var error = Assert.Throws<ArgumentException>(() => RestartStrategies.Create(options, new ManualTimeProvider()));

        Assert.StartsWith(setting + " ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SettingsOfAnUnchosenKind_AreIgnored()
    {
        var options = new RestartStrategyOptions { Kind = RestartStrategyKind.None, FailureRate = new() { MaxFailuresPerInterval = 0 } };

        Assert.False(RestartStrategies.Create(options, new ManualTimeProvider()).OnFailure(Failure).ShouldRestart);
    }

    [Theory]
    [InlineData("none", RestartStrategyKind.None)]
    [InlineData("disable", RestartStrategyKind.None)]
    [InlineData("fixed-delay", RestartStrategyKind.FixedDelay)]
    [InlineData("exponential-delay", RestartStrategyKind.ExponentialDelay)]
    [InlineData("failure-rate", RestartStrategyKind.FailureRate)]
    [InlineData("FailureRate", RestartStrategyKind.FailureRate)]
    public void ParseKind_AcceptsFlinkNames(string value, RestartStrategyKind kind) =>
        Assert.Equal(kind, RestartStrategyOptions.ParseKind(value));

    [Theory]
    [InlineData("sometimes")]
    [InlineData("2")]
    [InlineData("")]
    public void ParseKind_Unknown_FailsNamingTheChoices(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => RestartStrategyOptions.ParseKind(value));

        Assert.Contains("fixed-delay", error.Message, StringComparison.Ordinal);
    }
}
