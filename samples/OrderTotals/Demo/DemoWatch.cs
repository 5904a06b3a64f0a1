using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>
/// <c>etl demo watch --url URL</c>: one progress line every few seconds from a running worker's GET /job (orders
/// read, window results written, the last completed checkpoint, Kafka lag), until the worker stops answering.
/// ./demo.sh runs it beside the worker so that its long steps are not silent.
/// </summary>
internal static class DemoWatch
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The worker's endpoint (printed at start as 'endpoint: ...').", Required = true };
        var interval = new Option<double>("--interval-seconds") { Description = "Seconds between lines.", DefaultValueFactory = _ => 2 };
        var command = new Command("watch", "Print a running worker's progress (from GET /job) until it stops.") { url, interval };
        command.SetAction(async (result, ct) =>
        {
            var address = result.GetValue(url)!;
            var job = new Uri(new Uri(address.EndsWith('/') ? address : address + "/"), "job");
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var last = "";
            while (!ct.IsCancellationRequested)
            {
                string line;
                try
                {
                    // The documented JSON route (README: the job page), read as JSON: the sample needs no host internals.
                    using var view = JsonDocument.Parse(await client.GetStringAsync(job, ct));
                    line = Line(view.RootElement);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    // The worker stopped (or is going): its progress has ended.
                    return 0;
                }

                if (line != last)
                {
                    Console.WriteLine(line);
                    last = line;
                }

                await Task.Delay(TimeSpan.FromSeconds(result.GetValue(interval)), ct);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The source's output is what was read; the sink's input is the window results written (refirings included).</summary>
    private static string Line(JsonElement view)
    {
        var operators = view.GetProperty("operators");
        var count = operators.GetArrayLength();
        JsonElement? source = count > 0 ? operators[0] : null;
        JsonElement? sink = count > 0 ? operators[count - 1] : null;
        var lag = view.GetProperty("kafkaLag").EnumerateArray()
            .Sum(l => l.GetProperty("checkpointLag").ValueKind == JsonValueKind.Number ? l.GetProperty("checkpointLag").GetInt64() : 0);
        var read = source?.GetProperty("recordsOut").GetInt64() ?? 0;
        var rate = source?.GetProperty("recordsOutPerSecond").GetDouble() ?? 0;
        var written = sink?.GetProperty("recordsIn").GetInt64() ?? 0;
        var checkpoint = view.GetProperty("lastCompletedCheckpoint").GetInt64();
        return string.Create(CultureInfo.InvariantCulture,
            $"progress: {read:N0} orders read ({rate:N0}/s), {written:N0} window results written, checkpoint {checkpoint} completed, {lag:N0} records behind it");
    }
}
