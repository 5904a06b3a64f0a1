using System.CommandLine;
using System.Net.Http.Json;
using Etl.Worker.Http;

namespace Etl.Worker.Commands;

/// <summary>Commands that talk to a running worker through its loopback endpoint: savepoint, stop, health, status.</summary>
internal static class EndpointCommands
{
    private const string DefaultUrl = "http://127.0.0.1:9249";

    public static IEnumerable<Command> Create()
    {
        yield return Savepoint();
        yield return Stop();
        yield return Health();
        yield return Status();
    }

    private static Option<string> UrlOption() => new("--url")
    {
        Description = $"The worker's endpoint (printed at start as 'endpoint: ...'; default {DefaultUrl}).",
        DefaultValueFactory = _ => DefaultUrl,
    };

    private static Option<int> TimeoutOption() => new("--timeout-seconds") { Description = "Give up after this long.", DefaultValueFactory = _ => 600 };

    private static Command Savepoint()
    {
        var (url, timeout) = (UrlOption(), TimeoutOption());
        var command = new Command("savepoint", "Trigger a savepoint on a running worker; prints its id and location (restorable with etl run --from-checkpoint).") { url, timeout };
        command.SetAction((result, ct) => PostAsync(result.GetValue(url)!, "savepoint", result.GetValue(timeout), ct));
        return command;
    }

    private static Command Stop()
    {
        var (url, timeout) = (UrlOption(), TimeoutOption());
        var command = new Command("stop", "Stop a running worker with a final savepoint (as SIGTERM does); prints the savepoint's location.") { url, timeout };
        command.SetAction((result, ct) => PostAsync(result.GetValue(url)!, "stop", result.GetValue(timeout), ct));
        return command;
    }

    private static Command Health()
    {
        var url = UrlOption();
        var command = new Command("health", "Exit 0 when the worker is ready (restored and running), 1 otherwise.") { url };
        command.SetAction(async (result, ct) =>
        {
            using var client = Client(10);
            try
            {
                using var response = await client.GetAsync(Combine(result.GetValue(url)!, "health/ready"), ct);
                Console.WriteLine((await response.Content.ReadAsStringAsync(ct)).Trim());
                return response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"etl health: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command Status()
    {
        var url = UrlOption();
        var command = new Command("status", "Print the running worker's job status as JSON.") { url };
        command.SetAction(async (result, ct) =>
        {
            using var client = Client(10);
            Console.WriteLine(await client.GetStringAsync(Combine(result.GetValue(url)!, "status"), ct));
            return 0;
        });
        return command;
    }

    private static async Task<int> PostAsync(string url, string route, int timeoutSeconds, CancellationToken cancellationToken)
    {
        using var client = Client(timeoutSeconds);
        using var body = new StringContent("");
        using var response = await client.PostAsync(Combine(url, route), body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken);
            await Console.Error.WriteLineAsync($"etl {route}: the worker answered {(int)response.StatusCode}: {error}");
            return 1;
        }

        var savepoint = await response.Content.ReadFromJsonAsync(WorkerJsonContext.Default.SavepointResult, cancellationToken);
        Console.WriteLine($"savepoint {savepoint!.Id} of job {savepoint.Job} at {savepoint.Location}");
        return 0;
    }

    private static HttpClient Client(int timeoutSeconds) => new() { Timeout = TimeSpan.FromSeconds(timeoutSeconds) };

    private static Uri Combine(string url, string route) => new(new Uri(url.EndsWith('/') ? url : url + "/"), route);
}
