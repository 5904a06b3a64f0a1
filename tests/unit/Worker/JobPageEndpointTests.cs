using System.Net;
using System.Text.Json;
using Etl.Hosting.Configuration;
using Etl.Hosting.Http;
using Etl.Hosting.Metrics;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Metrics;

namespace Etl.Tests.Unit.Worker;

/// <summary>The job page's routes on a real socket, in front of a scripted job with a recorded checkpoint history.</summary>
public sealed class JobPageEndpointTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly PageControl _control = new();
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        _services = new ServiceCollection().AddWorkerMetrics(new ConfigurationBuilder().Build(), "unit").BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Page_IsServedFromTheAssembly_WithAPolicyThatAllowsOnlyTheWorker()
    {
        await using var endpoint = await StartAsync();

        using var page = await Http.GetAsync(endpoint.Address);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<script src=\"/page/page.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        foreach (var (file, type) in new[] { ("page.js", "text/javascript"), ("page.css", "text/css") })
        {
            using var response = await Http.GetAsync(new Uri(endpoint.Address, "page/" + file));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("https://", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var missing = await Http.GetAsync(new Uri(endpoint.Address, "page/nope.js"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task JsonRoutes_ShowTheJobItsOperatorsAndCheckpointHistory()
    {
        await using var endpoint = await StartAsync();

        using var job = JsonDocument.Parse(await Http.GetStringAsync(new Uri(endpoint.Address, "job")));
        using var checkpoints = JsonDocument.Parse(await Http.GetStringAsync(new Uri(endpoint.Address, "job/checkpoints")));
        using var throughput = JsonDocument.Parse(await Http.GetStringAsync(new Uri(endpoint.Address, "job/throughput")));

        var root = job.RootElement;
        Assert.Equal("unit", root.GetProperty("job").GetString());
        Assert.Equal(2, root.GetProperty("parallelism").GetInt32());
        Assert.Equal("savepoint", root.GetProperty("restoredFrom").GetProperty("kind").GetString());
        Assert.Equal(4, root.GetProperty("restoredFrom").GetProperty("id").GetInt64());
        Assert.Equal(["source", "sink"], root.GetProperty("operators").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(2, root.GetProperty("operators")[1].GetProperty("subtasks").GetArrayLength());
        Assert.Equal("subtask sink#1 failed: InvalidOperationException", root.GetProperty("latestFailure").GetProperty("reason").GetString());

        var rows = checkpoints.RootElement.GetProperty("checkpoints");
        Assert.Equal([6L, 5L], rows.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.Equal(("savepoint", "in-progress"), (rows[0].GetProperty("kind").GetString(), rows[0].GetProperty("status").GetString()));
        Assert.Equal(("checkpoint", "completed"), (rows[1].GetProperty("kind").GetString(), rows[1].GetProperty("status").GetString()));
        Assert.Equal(250, rows[1].GetProperty("durationMs").GetDouble());
        Assert.Equal("sink#1", rows[1].GetProperty("slowestAck").GetProperty("subtask").GetString());
        Assert.Equal(1, checkpoints.RootElement.GetProperty("completed").GetInt64());
        Assert.Equal(JsonValueKind.Array, throughput.RootElement.GetProperty("points").ValueKind);

        var table = Etl.Hosting.Commands.CheckpointsHistoryCommand.Format(
            JsonSerializer.Deserialize(checkpoints.RootElement.GetRawText(), JobPageJsonContext.Default.CheckpointsView)!);
        Assert.Contains("restored from savepoint 4", table, StringComparison.Ordinal);
        Assert.Contains(table.Split('\n'), l => l.TrimStart().StartsWith("5 checkpoint completed", StringComparison.Ordinal) && l.Contains("250.0ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BackPressure_OfASubtaskThatWaited_IsOnMetricsAndOnTheJobPage()
    {
        await using var endpoint = await StartAsync();
        var channel = System.Threading.Channels.Channel.CreateBounded<int>(1);
        var timer = new Etl.Pipeline.Runtime.BackPressureTimer("sink", 1);
        await timer.WriteAsync(channel.Writer, 1, CancellationToken.None);
        var waiting = timer.WriteAsync(channel.Writer, 2, CancellationToken.None).AsTask();
        await channel.Reader.ReadAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        var metrics = await Http.GetStringAsync(new Uri(endpoint.Address, "metrics"));
        using var job = JsonDocument.Parse(await Http.GetStringAsync(new Uri(endpoint.Address, "job")));

        Assert.Contains("etl_subtask_backpressured_time_milliseconds_total{operator=\"sink\",subtask=\"1\"}", metrics, StringComparison.Ordinal);
        var subtask = job.RootElement.GetProperty("operators")[1].GetProperty("subtasks")[1];
        Assert.True(subtask.GetProperty("backPressuredMs").GetDouble() >= 0);
    }

    private Task<WorkerEndpoint> StartAsync() =>
        WorkerEndpoint.StartAsync(
            new HttpSettings { Host = "127.0.0.1", Port = 0 }, _control, _services.GetRequiredService<MeterProvider>(), NullLoggerFactory.Instance, CancellationToken.None);

    private sealed class PageControl : IWorkerControl
    {
        public PageControl()
        {
            var at = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
            History.AttemptStarted(new JobAttemptInfo(2, at, [new OperatorParallelism("source", 1), new OperatorParallelism("sink", 2)],
                new RestoredPoint(new CheckpointId(4), CheckpointKind.Savepoint, at.AddMinutes(-1))));
            History.Triggered(new CheckpointId(5), CheckpointKind.Checkpoint, at, 3);
            History.Acknowledged(new CheckpointId(5), new SubtaskId("sink", 1), at.AddMilliseconds(200));
            History.Completed(new CheckpointHandle("unit", new CheckpointId(5), CheckpointKind.Checkpoint, 0, "/tmp/chk-5", 4096), at.AddMilliseconds(250));
            History.Triggered(new CheckpointId(6), CheckpointKind.Savepoint, at.AddSeconds(1), 3);
        }

        public bool IsReady => true;

        public bool IsStandby => false;

        public WorkerStatus Status => new("unit", "Running", 2, 5, "/tmp/chk-5", null, Environment.ProcessId);

        public CheckpointHistory History { get; } = new();

        public Exception? LatestFailure { get; } = new Etl.Pipeline.Runtime.SubtaskFailedException(new SubtaskId("sink", 1), new InvalidOperationException("boom"));

        public Task<SavepointResult> TriggerSavepointAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SavepointResult> StopWithSavepointAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
