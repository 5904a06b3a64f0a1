using System.Globalization;
using Etl.Connectors.Postgres;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging.Abstractions;
using NpgsqlTypes;

namespace Etl.Tests.Host;

/// <summary>
/// Writes epochs of rows through the PostgreSQL sink as a job would, keeping its "checkpoint storage" in a
/// state file (write temp + rename) and restoring from it on start, so a test can SIGKILL it at a fault point:
/// <c>sink-epochs connection=.. table=.. schema=.. job=.. state=FILE epochs=N rows=R [fault=after-prepare:K|after-complete:K]</c>.
/// Epoch n writes ids (n-1)*R+1 .. n*R with value n into <c>table (id, value)</c> in insert mode, so a
/// duplicate fails the run. At a fault point it prints <c>PREPARED K</c> or <c>COMPLETED K</c> and blocks.
/// </summary>
internal sealed class SinkEpochsScenario : IHostScenario
{
    public string Name => "sink-epochs";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var settings = args.Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a.Length > 1 ? a[1] : "", StringComparer.Ordinal);
        var epochs = long.Parse(settings["epochs"], CultureInfo.InvariantCulture);
        var rows = long.Parse(settings["rows"], CultureInfo.InvariantCulture);
        var stateFile = settings["state"];
        var fault = settings.GetValueOrDefault("fault", "");
        var options = new PostgresSinkOptions<(long Id, long Value)>(
            settings["connection"], settings["job"], "results",
            new PostgresTableMapping<(long Id, long Value)>(
                settings["table"],
                [
                    PostgresColumn.Of<(long Id, long Value), long>("id", NpgsqlDbType.Bigint, r => r.Id),
                    PostgresColumn.Of<(long Id, long Value), long>("value", NpgsqlDbType.Bigint, r => r.Value),
                ]))
        {
            Schema = settings["schema"],
            BatchSize = 1_000,
        };

        var (restoredId, restoredState) = await ReadStateAsync(stateFile, cancellationToken);
        var restored = restoredState is null
            ? null
            : StateAssignment.For(new CheckpointId(restoredId), [restoredState], 0, 1, KeyGroups.DefaultMaxParallelism);
        var context = new OperatorContext(options.JobName, options.SinkUid, 0, 1, KeyGroups.DefaultMaxParallelism, restored,
            TimeProvider.System, NullLoggerFactory.Instance);
        await using var sink = PostgresSink.Create(options);
        await sink.OpenAsync(context, cancellationToken);
        await Console.Out.WriteLineAsync($"OPENED {restoredId}");

        for (var n = restoredId + 1; n <= epochs; n++)
        {
            for (var id = ((n - 1) * rows) + 1; id <= n * rows; id++)
            {
                await sink.WriteAsync(new StreamRecord<(long, long)>((id, n), 0), cancellationToken);
            }

            var snapshot = await sink.SnapshotStateAsync(new CheckpointId(n), cancellationToken);
            await FaultPointAsync(fault, "after-prepare", "PREPARED", n, cancellationToken);
            await WriteStateAsync(stateFile, n, snapshot, cancellationToken);
            await FaultPointAsync(fault, "after-complete", "COMPLETED", n, cancellationToken);
            await sink.NotifyCheckpointCompleteAsync(new CheckpointId(n), cancellationToken);
        }

        await Console.Out.WriteLineAsync("DONE");
        return 0;
    }

    private static async Task FaultPointAsync(string fault, string point, string line, long checkpointId, CancellationToken cancellationToken)
    {
        if (fault == string.Create(CultureInfo.InvariantCulture, $"{point}:{checkpointId}"))
        {
            await Console.Out.WriteLineAsync($"{line} {checkpointId}");
            await Console.Out.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private static async Task<(long Id, OperatorSnapshot? State)> ReadStateAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return (0, null);
        }

        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        return (long.Parse(lines[0], CultureInfo.InvariantCulture), OperatorSnapshot.Of(Convert.FromBase64String(lines[1])));
    }

    /// <summary>The completion point of checkpoint n: durable before the sink hears of it.</summary>
    private static async Task WriteStateAsync(string path, long checkpointId, OperatorSnapshot snapshot, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync(checkpointId.ToString(CultureInfo.InvariantCulture));
            await writer.WriteLineAsync(Convert.ToBase64String(snapshot.OperatorState ?? []));
            await writer.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
