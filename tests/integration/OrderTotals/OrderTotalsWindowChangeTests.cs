using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// The worker restarted with other windows than its checkpoint's must refuse at once, naming the change, and
/// not restart in a loop (issue 13, scenario 13).
/// </summary>
public sealed class OrderTotalsWindowChangeTests
{
    [Fact]
    public async Task Restart_WithAChangedWindowSize_FailsAtOnceNamingBothSizes_AndWritesNothingMore()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(300, seed: 13, ct, lateFraction: 0);
        await run.ProduceAsync(0, run.Records.Count, ct);
        await run.RunToEndAsync(TimeSpan.FromMinutes(2));
        var rows = await run.ScalarAsync($"SELECT count(*) FROM {run.Schema}.order_totals", ct);

        // The run's restart strategy allows 1000 attempts 200 ms apart: a restart loop would outlive the wait.
        var environment = run.Environment();
        environment["Etl__Window__Size"] = "20000ms";
        await using var changed = EtlProcess.Start(["run"], environment);
        var exit = await changed.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var output = string.Join('\n', changed.OutputLines) + "\n" + changed.ErrorText;
        Assert.True(exit != 0, $"The worker with changed windows exited with {exit}.\n{output}");
        Assert.Contains("checkpoint", output, StringComparison.Ordinal);
        Assert.Contains("has tumbling windows of 10s, the job now has tumbling windows of 20s", output, StringComparison.Ordinal);
        Assert.Equal(rows, await run.ScalarAsync($"SELECT count(*) FROM {run.Schema}.order_totals", ct));
        Assert.Empty(await run.PreparedAsync(ct));
    }
}
