using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Etl.Worker.Http;

namespace Etl.Worker.Demo;

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
                JobView view;
                try
                {
                    view = JsonSerializer.Deserialize(await client.GetStringAsync(job, ct), JobPageJsonContext.Default.JobView)!;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    // The worker stopped (or is going): its progress has ended.
                    return 0;
                }

                var line = Line(view);
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
    private static string Line(JobView view)
    {
        var source = view.Operators.Count > 0 ? view.Operators[0] : null;
        var sink = view.Operators.Count > 0 ? view.Operators[^1] : null;
        var lag = view.KafkaLag.Sum(l => l.CheckpointLag ?? 0);
        return string.Create(CultureInfo.InvariantCulture,
            $"progress: {source?.RecordsOut ?? 0:N0} orders read ({source?.RecordsOutPerSecond ?? 0:N0}/s), {sink?.RecordsIn ?? 0:N0} window results written, checkpoint {view.LastCompletedCheckpoint} completed, {lag:N0} records behind it");
    }
}
