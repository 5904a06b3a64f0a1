using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Etl.Worker.Metrics;
using Microsoft.Extensions.Logging;

namespace Etl.Worker.Http;

/// <summary>
/// The worker's loopback HTTP endpoint (HttpListener, no ASP.NET Core): GET /health/live, GET /health/ready
/// (503 until the job has restored its state), GET /metrics (Prometheus text), GET /status, POST /savepoint,
/// POST /stop (stop with savepoint). Loopback only: it has no authentication.
/// </summary>
internal sealed partial class WorkerEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly IWorkerControl _control;
    private readonly MeterCollector _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public WorkerEndpoint(IWorkerControl control, MeterCollector metrics, ILogger<WorkerEndpoint> logger)
    {
        _control = control;
        _metrics = metrics;
        _logger = logger;
    }

    public Uri? Address { get; private set; }

    /// <summary>Starts listening on <paramref name="host"/>:<paramref name="port"/> (0 = a free port).</summary>
    public void Start(string host, int port)
    {
        var chosen = port == 0 ? FreePort() : port;
        var prefix = $"http://{(host == "::1" ? "[::1]" : host)}:{chosen}/";
        _listener.Prefixes.Add(prefix);
        _listener.Start();
        Address = new Uri(prefix);
        _loop = Task.Run(AcceptLoopAsync);
        LogListening(_logger, prefix);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopping the listener ends the accept loop with one of these; nothing is left to do.
        }

        _listener.Close();
        _stopping.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url?.AbsolutePath.TrimEnd('/') ?? "";
        try
        {
            switch (request.HttpMethod, path)
            {
                case ("GET", "/health/live"):
                    await WriteAsync(context, 200, "text/plain", "live\n");
                    break;
                case ("GET", "/health/ready"):
                    var ready = _control.IsReady;
                    await WriteAsync(context, ready ? 200 : 503, "text/plain", ready ? "ready\n" : "not ready: restoring or restarting\n");
                    break;
                case ("GET", "/metrics"):
                    await WriteAsync(context, 200, PrometheusText.ContentType, _metrics.ToPrometheusText());
                    break;
                case ("GET", "/status"):
                    await WriteAsync(context, 200, "application/json", JsonSerializer.Serialize(_control.Status, WorkerJsonContext.Default.WorkerStatus));
                    break;
                case ("POST", "/savepoint"):
                    var savepoint = await _control.TriggerSavepointAsync(_stopping.Token);
                    await WriteAsync(context, 200, "application/json", JsonSerializer.Serialize(savepoint, WorkerJsonContext.Default.SavepointResult));
                    break;
                case ("POST", "/stop"):
                    var final = await _control.StopWithSavepointAsync(_stopping.Token);
                    await WriteAsync(context, 200, "application/json", JsonSerializer.Serialize(final, WorkerJsonContext.Default.SavepointResult));
                    break;
                default:
                    await WriteErrorAsync(context, 404, $"No route {request.HttpMethod} {path}. Routes: GET /health/live, /health/ready, /metrics, /status; POST /savepoint, /stop.");
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            LogRequestFailed(_logger, request.HttpMethod, path, e);
            try
            {
                await WriteErrorAsync(context, 500, e.Message);
            }
            catch (Exception write) when (write is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away; there is nobody to tell.
            }
        }
    }

    private static Task WriteErrorAsync(HttpListenerContext context, int status, string message) =>
        WriteAsync(context, status, "application/json", JsonSerializer.Serialize(new EndpointError(message), WorkerJsonContext.Default.EndpointError));

    private static async Task WriteAsync(HttpListenerContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    [LoggerMessage(EventId = 100, EventName = "EndpointListening", Level = LogLevel.Information, Message = "Worker endpoint listening on {Prefix}")]
    private static partial void LogListening(ILogger logger, string prefix);

    [LoggerMessage(EventId = 101, EventName = "EndpointRequestFailed", Level = LogLevel.Warning, Message = "Worker endpoint: {Method} {Path} failed")]
    private static partial void LogRequestFailed(ILogger logger, string method, string path, Exception error);
}
