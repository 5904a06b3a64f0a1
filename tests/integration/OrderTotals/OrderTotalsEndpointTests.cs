using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// The worker endpoint as a cluster sees it: listening on every interface, probed and scraped from any address
/// and by any Host name, with the control routes loopback-only unless a token is configured; metrics through
/// OpenTelemetry (Prometheus on /metrics, OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set).
/// </summary>
public sealed class OrderTotalsEndpointTests
{
    private const string Token = "integration-control-token-0123";

    /// <summary>The instruments README "Metrics" lists that this run certainly records, as Prometheus names.</summary>
    private static readonly string[] Instruments =
    [
        "etl_records_in_total{operator=\"order-windows\"}", "etl_records_out_total{operator=\"kafka-orders\"}",
        "etl_checkpoint_duration_milliseconds_count", "etl_checkpoint_duration_milliseconds_bucket{le=\"60000\"}", "etl_checkpoint_size_bytes_sum",
        "etl_checkpoint_last_completed_id", "etl_sink_commit_duration_milliseconds_count", "etl_sink_prepare_duration_milliseconds_count",
        "etl_sink_dead_letters_total{reason=\"deserialization\"}", "etl_kafka_source_dead_letters_total", "etl_sink_upsert_rows_total{",
        "etl_kafka_consumer_lag{", "etl_kafka_client_consumer_lag{",
    ];

    [Fact]
    public async Task Worker_OnEveryInterface_ServesProbesAndMetricsToAnyone_ControlOnlyToLoopback_AndExportsOtlp()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        using var collector = new OtlpRequestLog();
        await using var run = await OrderTotalsRun.CreateAsync(1_000, seed: 31, ct);
        await run.ProduceAsync(0, run.Records.Count, ct);
        var environment = Cluster(run);
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        await using var worker = EtlProcess.Start(["run"], environment);
        var endpoint = await OrderTotalsRun.WaitUntilReadyAsync(worker, TimeSpan.FromSeconds(60));
        Assert.Equal(IPAddress.Loopback.ToString(), endpoint.Host);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // As a new user types it: the name localhost, not the address.
        var byName = new Uri($"http://localhost:{endpoint.Port}/");
        Assert.Equal("live", (await http.GetStringAsync(new Uri(byName, "health/live"), ct)).Trim());
        await AssertMetricsAsync(http, byName, ct);

        if (OwnAddress() is { } own)
        {
            var remote = new Uri($"http://{own}:{endpoint.Port}/");
            Assert.Equal("ready", (await http.GetStringAsync(new Uri(remote, "health/ready"), ct)).Trim());
            await AssertMetricsAsync(http, remote, ct);
            Assert.Contains(run.JobName, await http.GetStringAsync(new Uri(remote, "status"), ct), StringComparison.Ordinal);
            await using var refused = EtlProcess.Start(["savepoint", "--url", remote.ToString()]);
            Assert.Equal(1, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("403", refused.ErrorText, StringComparison.Ordinal);
            Assert.Contains("loopback addresses only", refused.ErrorText, StringComparison.Ordinal);
        }

        await using (var savepoint = EtlProcess.Start(["savepoint", "--url", endpoint.ToString()]))
        {
            Assert.Equal(0, await savepoint.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        await Poll.UntilAsync(() => collector.Requests.Contains("POST /v1/metrics"), TimeSpan.FromSeconds(30), "an OTLP export to the collector");
        await StopAsync(worker, endpoint, null);
        Assert.Empty(await run.PreparedAsync(ct));
    }

    [Fact]
    public async Task Worker_WithControlToken_RequiresItOnControlRoutesFromEveryAddress()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var run = await OrderTotalsRun.CreateAsync(1_000, seed: 32, ct);
        await run.ProduceAsync(0, run.Records.Count, ct);
        var environment = Cluster(run);
        environment["ETL_HTTP_TOKEN"] = Token;
        await using var worker = EtlProcess.Start(["run"], environment);
        var endpoint = await OrderTotalsRun.WaitUntilReadyAsync(worker, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        using (var withoutToken = await http.PostAsync(new Uri(endpoint, "savepoint"), null, ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "savepoint")))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-0123456789");
            using var wrongToken = await http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        }

        var reachable = OwnAddress() is { } own ? new Uri($"http://{own}:{endpoint.Port}/") : endpoint;
        await using (var savepoint = EtlProcess.Start(["savepoint", "--url", reachable.ToString(), "--token", Token]))
        {
            Assert.Equal(0, await savepoint.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        await StopAsync(worker, reachable, Token);
        Assert.Empty(await run.PreparedAsync(ct));
    }

    /// <summary>The worker's settings as a container or pod would have them: listening on every interface.</summary>
    private static Dictionary<string, string> Cluster(OrderTotalsRun run)
    {
        var environment = run.Environment();
        environment["Etl__Http__Host"] = "0.0.0.0";
        environment["Etl__Kafka__Consumer__statistics.interval.ms"] = "500";
        return environment;
    }

    private static async Task AssertMetricsAsync(HttpClient http, Uri endpoint, CancellationToken ct)
    {
        var metrics = "";
        await Poll.UntilAsync(
            async () =>
            {
                metrics = await http.GetStringAsync(new Uri(endpoint, "metrics"), ct);
                return Instruments.All(i => metrics.Contains(i, StringComparison.Ordinal));
            },
            TimeSpan.FromSeconds(30),
            "every instrument on /metrics");
        Assert.DoesNotContain("otel_scope_name", metrics, StringComparison.Ordinal);
    }

    /// <summary>etl stop (the token from ETL_HTTP_TOKEN, as an operator's shell would have it), then the worker exits 0.</summary>
    private static async Task StopAsync(EtlProcess worker, Uri endpoint, string? token)
    {
        var environment = token is null ? null : new Dictionary<string, string> { ["ETL_HTTP_TOKEN"] = token };
        await using (var stop = EtlProcess.Start(["stop", "--url", endpoint.ToString()], environment))
        {
            Assert.True(await stop.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, stop.Describe());
        }

        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains(worker.OutputLines, l => l.StartsWith("finished: savepoint", StringComparison.Ordinal));
    }

    /// <summary>
    /// A non-loopback address of this machine to call from "elsewhere", only when ETL_TEST_REMOTE_ADDRESS names one:
    /// tests send traffic to loopback unless told otherwise (the machines' network rules), so by default the
    /// remote-caller checks are skipped here and the rule is covered address by address in ControlAccessTests.
    /// </summary>
    private static IPAddress? OwnAddress() =>
        IPAddress.TryParse(Environment.GetEnvironmentVariable("ETL_TEST_REMOTE_ADDRESS"), out var address) && !IPAddress.IsLoopback(address)
            ? address
            : null;

    /// <summary>A stand-in OTLP/HTTP collector: records each request line and answers 200.</summary>
    private sealed class OtlpRequestLog : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<string> _requests = new();

        public OtlpRequestLog()
        {
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public IReadOnlyCollection<string> Requests => [.. _requests];

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _listener.Dispose();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    using var stream = client.GetStream();
                    var buffer = new byte[64 * 1024];
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    var text = Encoding.ASCII.GetString(buffer, 0, read);
                    var line = text.Split("\r\n")[0];
                    _requests.Enqueue(string.Join(' ', line.Split(' ').Take(2)));
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
                {
                    // The test is over (listener stopped) or the exporter hung up: nothing to record.
                }
            }
        }
    }
}
