using Etl.Samples.OrderTotals.Configuration;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// Sliding and session windows end to end against the reference computation. No order is generated far
/// behind the stream, because a record late for only some of its sliding windows leaves no trace to check.
/// </summary>
public sealed class OrderTotalsWindowKindTests
{
    [Theory]
    [InlineData("sliding")]
    [InlineData("session")]
    public async Task BoundedRun_WindowKind_MatchesTheReference(string kind)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var window = OrderTotalsRun.TumblingWindow with
        {
            Kind = Enum.Parse<WindowKind>(kind, ignoreCase: true),
            Size = TimeSpan.FromSeconds(20),
            Slide = TimeSpan.FromSeconds(5),
            Gap = TimeSpan.FromSeconds(3),
        };
        await using var run = await OrderTotalsRun.CreateAsync(1_500, seed: kind.Length, ct, window: window, lateFraction: 0);
        await run.ProduceAsync(0, run.Records.Count, ct);

        await run.RunToEndAsync(TimeSpan.FromMinutes(2));

        await run.AssertExactlyOnceAsync(ct);
    }
}
