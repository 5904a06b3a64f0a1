using System.Collections.Concurrent;
using System.Text.Json;
using Etl.Tests.Integration.Infrastructure;
using Microsoft.Playwright;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// The job page in a real browser: Debian's headless chromium, driven by Playwright through its executable path
/// (Playwright never downloads a browser here; scripts/install-deps.sh installs chromium). The page must fill
/// its checkpoint history, count records as they arrive, show a savepoint taken from the CLI, and load nothing
/// from anywhere but the worker. The screenshot goes to .artifacts/test-results/job-page.png.
/// </summary>
public sealed class OrderTotalsJobPageTests
{
    /// <summary>Where the browser is; ETL_CHROMIUM overrides it.</summary>
    private static readonly string Chromium = Environment.GetEnvironmentVariable("ETL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [Fact]
    public async Task JobPage_InHeadlessChromium_ShowsCheckpointsRecordsAndACliSavepoint()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run scripts/install-deps.sh (it installs Debian's chromium) or set ETL_CHROMIUM.");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(6_000, seed: 61, ct);
        await run.ProduceAsync(0, 2_000, ct);
        await using var worker = run.StartWorker();
        var endpoint = await OrderTotalsRun.WaitUntilReadyAsync(worker, TimeSpan.FromSeconds(60));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var requested = new ConcurrentQueue<string>();
        var console = new ConcurrentQueue<string>();
        page.Request += (_, request) => requested.Enqueue(request.Url);
        page.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Enqueue($"page error: {error}");
        page.SetDefaultTimeout(90_000);

        await page.GotoAsync(endpoint.ToString());
        await page.Locator("#checkpoints tbody tr[data-kind='checkpoint'][data-status='completed']").First.WaitForAsync();
        await page.Locator("#operators tbody tr[data-operator='order-windows']").WaitForAsync();
        var before = await RecordsInAsync(page);

        await run.ProduceAsync(2_000, run.Records.Count, ct);
        await page.WaitForFunctionAsync($"() => Number(document.getElementById('records-in').dataset.value) > {before}");

        string savepointId;
        await using (var savepoint = EtlProcess.Start(["savepoint", "--url", endpoint.ToString()]))
        {
            Assert.True(await savepoint.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, savepoint.Describe());
            // "savepoint N of job J at LOCATION"
            savepointId = savepoint.OutputLines.Single(l => l.StartsWith("savepoint ", StringComparison.Ordinal)).Split(' ')[1];
        }

        var savepointRow = page.Locator($"#checkpoints tbody tr[data-kind='savepoint'][data-id='{savepointId}'][data-status='completed']");
        await savepointRow.WaitForAsync();
        Assert.Equal("savepoint", (await savepointRow.Locator("td").Nth(1).InnerTextAsync()).Trim());
        Assert.NotEqual("–", (await savepointRow.Locator("td").Nth(8).InnerTextAsync()).Trim());

        // Let the plots gather a few seconds of points, then keep the picture.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#throughput-plot path.line').length > 0 && document.querySelectorAll('#duration-plot rect').length > 1");
        Assert.Equal("Running", (await page.Locator("#job-state").InnerTextAsync()).Trim());
        Assert.True(await page.Locator("#failure").IsHiddenAsync());
        var screenshot = Path.Combine(RepoPaths.Root, ".artifacts", "test-results", "job-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });

        Assert.All(requested, url => Assert.StartsWith(endpoint.GetLeftPart(UriPartial.Authority), url, StringComparison.Ordinal));
        Assert.False(
            console.Any(line => line.StartsWith("error", StringComparison.Ordinal) || line.StartsWith("page error", StringComparison.Ordinal)),
            "the page logged errors:\n" + string.Join('\n', console) + "\nrequests:\n" + string.Join('\n', requested));

        // The same data for scripts: the JSON routes and the CLI's table.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var job = JsonDocument.Parse(await http.GetStringAsync(new Uri(endpoint, "job"), ct));
        Assert.Equal(run.JobName, job.RootElement.GetProperty("job").GetString());
        Assert.Equal(2, job.RootElement.GetProperty("parallelism").GetInt32());
        var operators = job.RootElement.GetProperty("operators").EnumerateArray().ToList();
        Assert.Equal(["kafka-orders", "order-windows", "order-totals-sink"], operators.Select(o => o.GetProperty("id").GetString()));
        Assert.All(operators, o => Assert.Equal(2, o.GetProperty("subtasks").GetArrayLength()));
        Assert.True(job.RootElement.GetProperty("deadLetters").GetArrayLength() > 0, "the run has malformed orders, so dead letters");
        await using (var history = EtlProcess.Start(["checkpoints", "history", "--url", endpoint.ToString()]))
        {
            Assert.True(await history.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, history.Describe());
            Assert.Contains(history.OutputLines, l => l.TrimStart().StartsWith($"{savepointId} savepoint  completed", StringComparison.Ordinal));
        }

        await using (var stop = EtlProcess.Start(["stop", "--url", endpoint.ToString()]))
        {
            Assert.True(await stop.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, stop.Describe());
        }

        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Empty(await run.PreparedAsync(ct));
    }

    private static async Task<long> RecordsInAsync(IPage page) =>
        long.Parse(await page.Locator("#records-in").GetAttributeAsync("data-value") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
}
