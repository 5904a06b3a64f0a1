using System.Text.Json;
using Etl.Hosting.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Etl.Hosting.Http;

/// <summary>
/// The worker's HTTP endpoint (ASP.NET Core on Kestrel, started after the job lock is taken): GET /health/live,
/// GET /health/ready (503 until the job has restored its state), GET /metrics (the OpenTelemetry Prometheus
/// exporter), GET /status, and the control routes POST /savepoint and POST /stop (stop with savepoint), which
/// <see cref="ControlAccess"/> guards; and the job page (<see cref="JobPage"/>: GET /, /job, /job/checkpoints,
/// /job/throughput), read-only like /status. Any Host header is accepted: only the listening address matters.
/// </summary>
internal sealed partial class WorkerEndpoint : IAsyncDisposable
{
    private const string Routes = "Routes: GET /, /job, /job/checkpoints, /job/throughput, /health/live, /health/ready, /metrics, /status; POST /savepoint, /stop.";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly JobPage _page;

    private WorkerEndpoint(WebApplication app, JobPage page) => (_app, _page) = (app, page);

    /// <summary>The URL a client on this machine uses (loopback when listening on every interface).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Listens on <see cref="HttpSettings.Host"/>:<see cref="HttpSettings.Port"/> (0 = a free port) until disposed.</summary>
    public static async Task<WorkerEndpoint> StartAsync(
        HttpSettings settings, IWorkerControl control, MeterProvider meters, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (!ListenAddress.TryParse(settings.Host, out var address))
        {
            throw new ArgumentException($"Etl:Http:Host '{settings.Host}' is not an address to listen on.", nameof(settings));
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, settings.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddHealthChecks()
            .AddCheck("live", () => HealthCheckResult.Healthy("live"), tags: ["live"])
            .Add(new HealthCheckRegistration(JobReadinessHealthCheck.Name, _ => new JobReadinessHealthCheck(control), HealthStatus.Unhealthy, ["ready"]));

        var app = builder.Build();
        var endpoint = new WorkerEndpoint(app, new JobPage(control, TimeProvider.System));
        var logger = loggerFactory.CreateLogger<WorkerEndpoint>();
        endpoint.Map(control, meters, new ControlAccess(settings.ControlToken), logger);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // A port in use or a bad address: nothing listens, release what the app holds before reporting it.
            await app.DisposeAsync();
            await endpoint._page.DisposeAsync();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        endpoint.Address = ListenAddress.LocalUrl(address, new Uri(bound).Port);
        LogListening(logger, bound, settings.ControlToken.Length > 0 ? "a bearer token" : "loopback clients only");
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        await _page.DisposeAsync();
        _stopping.Dispose();
    }

    private void Map(IWorkerControl control, MeterProvider meters, ControlAccess access, ILogger logger)
    {
        _app.MapHealthChecks("/health/live", Health("live"));
        _app.MapHealthChecks("/health/ready", Health("ready"));
        _app.MapPrometheusScrapingEndpoint("/metrics", meters, null, null);
        _app.MapGet("/status", context => WriteJsonAsync(context, 200, JsonSerializer.Serialize(control.Status, WorkerJsonContext.Default.WorkerStatus)));
        _app.MapPost("/savepoint", context => ControlAsync(context, access, logger, control.TriggerSavepointAsync));
        _app.MapPost("/stop", context => ControlAsync(context, access, logger, control.StopWithSavepointAsync));
        _page.Map(_app);
        _app.MapFallback(context => WriteErrorAsync(context, 404, $"No route {context.Request.Method} {context.Request.Path}. {Routes}"));
    }

    private static HealthCheckOptions Health(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = (context, report) =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(string.Join('\n', report.Entries.Values.Select(e => e.Description)) + "\n");
        },
    };

    private async Task ControlAsync(HttpContext context, ControlAccess access, ILogger logger, Func<CancellationToken, Task<SavepointResult>> action)
    {
        var route = $"{context.Request.Method} {context.Request.Path}";
        if (access.Check(route, context.Connection.RemoteIpAddress, context.Request.Headers.Authorization) is { } refusal)
        {
            LogControlRefused(logger, route, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", refusal.StatusCode);
            if (refusal.StatusCode == 401)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await WriteErrorAsync(context, refusal.StatusCode, refusal.Message);
            return;
        }

        try
        {
            var savepoint = await action(_stopping.Token);
            await WriteJsonAsync(context, 200, JsonSerializer.Serialize(savepoint, WorkerJsonContext.Default.SavepointResult));
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            // The caller learns why (the job not started yet, a failed savepoint); the job itself goes on.
            LogRequestFailed(logger, route, e);
            await WriteErrorAsync(context, 500, e.Message);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, JsonSerializer.Serialize(new EndpointError(message), WorkerJsonContext.Default.EndpointError));

    private static Task WriteJsonAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body);
    }

    [LoggerMessage(EventId = 100, EventName = "EndpointListening", Level = LogLevel.Information, Message = "Worker endpoint listening on {Address}; control routes need {ControlAccess}")]
    private static partial void LogListening(ILogger logger, string address, string controlAccess);

    [LoggerMessage(EventId = 101, EventName = "EndpointRequestFailed", Level = LogLevel.Warning, Message = "Worker endpoint: {Route} failed")]
    private static partial void LogRequestFailed(ILogger logger, string route, Exception error);

    [LoggerMessage(EventId = 102, EventName = "EndpointControlRefused", Level = LogLevel.Warning, Message = "Worker endpoint: {Route} from {Remote} refused with {StatusCode}")]
    private static partial void LogControlRefused(ILogger logger, string route, string remote, int statusCode);
}
