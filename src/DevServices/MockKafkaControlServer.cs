using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Etl.Connectors.Kafka;
using Etl.DevServices.Kafka;

namespace Etl.DevServices;

/// <summary>
/// Loopback HTTP control endpoint of the mock Kafka host (protocol in docs/local-services.md).
/// Requests are served one at a time: the mock cluster calls are quick.
/// </summary>
internal sealed class MockKafkaControlServer(MockKafkaCluster cluster, int port, CancellationTokenSource shutdown)
{
    public Uri Endpoint { get; } = new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var listener = Start();
        await using var stop = cancellationToken.Register(listener.Stop);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await HandleAsync(context, cancellationToken);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
            {
                // Tolerated: the client went away, or HttpListener already answered it (e.g. 411 for a
                // body-less POST without Content-Length). One bad request must not take the brokers down.
            }
        }
    }

    // The managed HttpListener can throw ArgumentNullException from Start() when a connection arrives while it is
    // starting (seen here: `etl dev up` polls /health meanwhile). The port is ours; start again on a new listener.
    private HttpListener Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var listener = new HttpListener();
            listener.Prefixes.Add(Endpoint.ToString());
            try
            {
                listener.Start();
                return listener;
            }
            catch (ArgumentNullException) when (attempt < 5)
            {
                ((IDisposable)listener).Dispose();
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath.Trim('/');
        var segments = path.Split('/');
        var status = 200;
        var shutdownRequested = false;
        string body;
        try
        {
            body = (request.HttpMethod, segments) switch
            {
                ("GET", ["health"]) => JsonSerializer.Serialize(
                    new MockKafkaHealth(cluster.BootstrapServers, cluster.BrokerCount, Environment.ProcessId, KafkaNativeLibrary.Description),
                    MockKafkaJsonContext.Default.MockKafkaHealth),
                ("POST", ["topics"]) => CreateTopic(request),
                ("POST", ["brokers", var id, "down"]) => Do(() => cluster.SetBrokerDown(ParseInt(id, "broker id"))),
                ("POST", ["brokers", var id, "up"]) => Do(() => cluster.SetBrokerUp(ParseInt(id, "broker id"))),
                ("POST", ["request-errors"]) => Do(() => cluster.PushRequestErrors(ApiKey(request), ErrorCodes(request))),
                ("DELETE", ["request-errors"]) => Do(() => cluster.ClearRequestErrors(ApiKey(request))),
                ("POST", ["topics", var name, "error"]) => Do(() => cluster.SetTopicError(Uri.UnescapeDataString(name), ParseInt(request.QueryString["code"] ?? "", "code"))),
                ("DELETE", ["topics", var name]) => Do(() => cluster.DeleteTopic(Uri.UnescapeDataString(name))),
                ("POST", ["brokers", var id, "rtt"]) => Do(() => cluster.SetBrokerRtt(ParseInt(id, "broker id"), ParseInt(request.QueryString["ms"] ?? "", "ms"))),
                ("POST", ["partitions", var topic, var partition, "leader"]) => Do(() => cluster.SetPartitionLeader(
                    Uri.UnescapeDataString(topic), ParseInt(partition, "partition"), ParseInt(request.QueryString["broker"] ?? "", "broker"))),
                ("POST", ["requests", "tracking"]) => Do(() => cluster.TrackRequests(on: true)),
                ("DELETE", ["requests", "tracking"]) => Do(() => cluster.TrackRequests(on: false)),
                ("GET", ["requests"]) => JsonSerializer.Serialize([.. cluster.Requests()], MockKafkaJsonContext.Default.MockKafkaRequestArray),
                ("POST", ["shutdown"]) => Do(() => shutdownRequested = true),
                _ => throw new KeyNotFoundException($"No route {request.HttpMethod} /{path}."),
            };
        }
        catch (KeyNotFoundException e)
        {
            (status, body) = (404, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or MockKafkaException)
        {
            (status, body) = (400, e.Message);
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = body.StartsWith('{') ? "application/json" : "text/plain";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes, cancellationToken);
        context.Response.Close();
        if (shutdownRequested)
        {
            // Only after answering: cancelling stops the listener, which would cut this response off.
            await shutdown.CancelAsync();
        }
    }

    private string CreateTopic(HttpListenerRequest request)
    {
        var name = request.QueryString["name"] ?? throw new ArgumentException("Query parameter 'name' is required.");
        var partitions = ParseInt(request.QueryString["partitions"] ?? "1", "partitions");
        var replicationFactor = ParseInt(request.QueryString["replicationFactor"] ?? "1", "replicationFactor");
        cluster.CreateTopic(name, partitions, replicationFactor);
        return "ok";
    }

    private static string Do(Action action)
    {
        action();
        return "ok";
    }

    private static short ApiKey(HttpListenerRequest request) =>
        (short)ParseInt(request.QueryString["apiKey"] ?? throw new ArgumentException("Query parameter 'apiKey' is required."), "apiKey");

    private static int[] ErrorCodes(HttpListenerRequest request) =>
        (request.QueryString["errors"] ?? throw new ArgumentException("Query parameter 'errors' is required (comma-separated Kafka error codes)."))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => ParseInt(c, "errors"))
            .ToArray();

    private static int ParseInt(string text, string what) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a valid {what}.");
}
