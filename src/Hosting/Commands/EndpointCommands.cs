using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Etl.Hosting.Http;

namespace Etl.Hosting.Commands;

/// <summary>
/// Commands that talk to a running worker through its HTTP endpoint: savepoint, stop, health, status. The
/// control commands (savepoint, stop) send the control token as a bearer token when one is given (--token or
/// ETL_HTTP_TOKEN); without one the worker accepts them from loopback clients only.
/// </summary>
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

    private static Option<string?> TokenOption() => new("--token")
    {
        Description = $"The worker's control token (Etl:Http:ControlToken), sent as 'Authorization: Bearer <token>'; default ${ControlAccess.TokenVariable}. Not needed from the worker's machine when the worker has no token.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ControlAccess.TokenVariable),
    };

    private static Option<int> TimeoutOption() => new("--timeout-seconds") { Description = "Give up after this long.", DefaultValueFactory = _ => 600 };

    private static Command Savepoint()
    {
        var (url, token, timeout) = (UrlOption(), TokenOption(), TimeoutOption());
        var command = new Command("savepoint", "Trigger a savepoint on a running worker; prints its id and location (restorable with etl run --from-checkpoint).") { url, token, timeout };
        command.SetAction((result, ct) => PostAsync(result.GetValue(url)!, "savepoint", result.GetValue(token), result.GetValue(timeout), ct));
        return command;
    }

    private static Command Stop()
    {
        var (url, token, timeout) = (UrlOption(), TokenOption(), TimeoutOption());
        var command = new Command("stop", "Stop a running worker with a final savepoint (as SIGTERM does); prints the savepoint's location.") { url, token, timeout };
        command.SetAction((result, ct) => PostAsync(result.GetValue(url)!, "stop", result.GetValue(token), result.GetValue(timeout), ct));
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

    private static async Task<int> PostAsync(string url, string route, string? token, int timeoutSeconds, CancellationToken cancellationToken)
    {
        using var client = Client(timeoutSeconds);
        using var request = new HttpRequestMessage(HttpMethod.Post, Combine(url, route)) { Content = new StringContent("") };
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await Console.Error.WriteLineAsync($"etl {route}: the worker answered {(int)response.StatusCode}: {await ErrorTextAsync(response, cancellationToken)}");
            return 1;
        }

        var savepoint = await response.Content.ReadFromJsonAsync(WorkerJsonContext.Default.SavepointResult, cancellationToken);
        Console.WriteLine($"savepoint {savepoint!.Id} of job {savepoint.Job} at {savepoint.Location}");
        return 0;
    }

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(text, WorkerJsonContext.Default.EndpointError)?.Error ?? text;
        }
        catch (JsonException)
        {
            // Not the worker's error body (a proxy's page, say): show it as it came.
            return text;
        }
    }

    private static HttpClient Client(int timeoutSeconds) => new() { Timeout = TimeSpan.FromSeconds(timeoutSeconds) };

    private static Uri Combine(string url, string route) => new(new Uri(url.EndsWith('/') ? url : url + "/"), route);
}
