using System.CommandLine;
using System.Globalization;
using Etl.Hosting.Http;

namespace Etl.Hosting.Commands;

/// <summary>
/// <c>etl checkpoints history --url URL</c>: a running worker's recent checkpoints and savepoints as a table, newest
/// first (GET /job/checkpoints, what the job page shows). Read-only, so it needs no control token.
/// </summary>
internal static class CheckpointsHistoryCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url")
        {
            Description = "The worker's endpoint (printed at start as 'endpoint: ...'; default http://127.0.0.1:9249).",
            DefaultValueFactory = _ => "http://127.0.0.1:9249",
        };
        var json = new Option<bool>("--json") { Description = "Print the JSON of GET /job/checkpoints as it came." };
        var command = new Command("history", "Show a running worker's recent checkpoints and savepoints, newest first: status, trigger time, duration, size, slowest acknowledgement, sink prepare and commit.") { url, json };
        command.SetAction(async (result, ct) =>
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var address = result.GetValue(url)!;
            string body;
            try
            {
                body = await client.GetStringAsync(new Uri(new Uri(address.EndsWith('/') ? address : address + "/"), "job/checkpoints"), ct);
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"etl checkpoints history: {address}: {e.Message}");
                return 1;
            }

            if (result.GetValue(json))
            {
                Console.WriteLine(body);
                return 0;
            }

            var view = System.Text.Json.JsonSerializer.Deserialize(body, JobPageJsonContext.Default.CheckpointsView)!;
            Console.Write(Format(view));
            return 0;
        });
        return command;
    }

    /// <summary>The table <c>etl checkpoints history</c> prints.</summary>
    public static string Format(CheckpointsView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var c = CultureInfo.InvariantCulture;
        var text = new System.Text.StringBuilder();
        var restored = view.RestoredFrom is { } r ? $"{r.Kind} {r.Id}" : "nothing";
        text.AppendLine(c, $"job {view.Job}: {view.Completed} completed, {view.Failed} failed, {view.InProgress} in progress; restored from {restored}");
        text.AppendLine(c, $"{"ID",6} {"KIND",-10} {"STATUS",-11} {"TRIGGERED (UTC)",-12} {"DURATION",9} {"SIZE",10} {"ACKS",7} {"PREPARE",9} {"COMMIT",9}  SLOWEST ACK");
        foreach (var row in view.Checkpoints)
        {
            var slowest = row.SlowestAck is { } ack ? $"{ack.Subtask} ({Ms(ack.AfterMs)})" : "-";
            text.AppendLine(c,
                $"{row.Id,6} {row.Kind,-10} {row.Status,-11} {row.TriggeredAt.UtcDateTime.ToString("HH:mm:ss.fff", c),-12} {Ms(row.DurationMs),9} {(row.SizeBytes is { } size ? size.ToString(c) : "-"),10} {$"{row.Acknowledged}/{row.Subtasks}",7} {Ms(row.SinkPrepareMs),9} {Ms(row.SinkCommitMs),9}  {slowest}{(row.Failure is { } failure ? $"  {failure}" : "")}");
        }

        return text.ToString();
    }

    private static string Ms(double? value) => value is { } ms ? ms.ToString("0.0", CultureInfo.InvariantCulture) + "ms" : "-";
}
