using System.Text.Json;
using Etl.Connectors.Kafka;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Tests.Host;

/// <summary>
/// <c>kafka-source BOOTSTRAP TOPIC GROUP DIR [PAUSE_MS]</c>: reads TOPIC with a KafkaSource (one subtask), appends every
/// value to DIR/output.txt, and every 50 records takes a checkpoint: DIR/checkpoint.json (written to a temp
/// file, fsynced, renamed) holds the source state and how many output lines it covers. On start it restores
/// from that file and truncates the output to the lines it covers, as a transactional sink discards an
/// uncommitted epoch. Meant to be killed with SIGKILL at any moment and started again.
/// </summary>
internal sealed class KafkaSourceCrashScenario : IHostScenario
{
    private const int RecordsPerCheckpoint = 50;

    public string Name => "kafka-source";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (bootstrap, topic, group, dir) = (args[0], args[1], args[2], args[3]);
        // A pause between polls slows reading down so that a test can kill the process mid-stream.
        var pause = TimeSpan.FromMilliseconds(args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 0);
        var outputPath = Path.Combine(dir, "output.txt");
        var checkpointPath = Path.Combine(dir, "checkpoint.json");
        var restored = File.Exists(checkpointPath)
            ? JsonSerializer.Deserialize<CrashCheckpoint>(await File.ReadAllTextAsync(checkpointPath, cancellationToken))
            : null;
        var lines = restored?.Lines ?? 0;
        TruncateToLines(outputPath, lines);
        var restoredState = restored is null
            ? null
            : new RestoredState(new CheckpointId(restored.Id), 1, [new SubtaskState(0, restored.State)], [new SubtaskState(0, restored.State)], []);
        var context = new OperatorContext("crash", "kafka-source", 0, 1, KeyGroups.DefaultMaxParallelism, restoredState, TimeProvider.System, NullLoggerFactory.Instance);
        var options = new KafkaSourceOptions { BootstrapServers = bootstrap, Topics = [topic], GroupId = group, PollBatchSize = 7 };
        await using var source = new KafkaSource<string>(options, new Utf8StringDeserializer());
        await source.OpenAsync(context, cancellationToken);
        await Console.Out.WriteLineAsync($"started at checkpoint {restored?.Id ?? 0} with {lines} lines");
        using var output = new LineOutput(outputPath) { Lines = lines };
        var nextId = (restored?.Id ?? 0) + 1;
        var checkpointed = lines;
        while (!cancellationToken.IsCancellationRequested)
        {
            await source.PollAsync(output, cancellationToken);
            output.Flush();
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, cancellationToken);
            }

            if (output.Lines - checkpointed >= RecordsPerCheckpoint)
            {
                var snapshot = await source.SnapshotStateAsync(new CheckpointId(nextId), cancellationToken);
                Write(checkpointPath, new CrashCheckpoint(nextId, output.Lines, snapshot.OperatorState!));
                await source.NotifyCheckpointCompleteAsync(new CheckpointId(nextId), cancellationToken);
                checkpointed = output.Lines;
                nextId++;
            }
        }

        return 0;
    }

    private static void TruncateToLines(string path, long lines)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var kept = File.ReadLines(path).Take((int)lines).ToList();
        File.WriteAllLines(path, kept);
    }

    private static void Write(string path, CrashCheckpoint checkpoint)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, checkpoint);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private sealed record CrashCheckpoint(long Id, long Lines, byte[] State);

    /// <summary>Appends values, one per line; <see cref="Lines"/> is the number of lines in the file.</summary>
    private sealed class LineOutput(string path) : ISourceOutput<string>, IDisposable
    {
        private readonly StreamWriter _writer = new(path, append: true);

        public long Lines { get; set; }

        public void Collect(string value, long timestamp)
        {
            _writer.WriteLine(value);
            Lines++;
        }

        public void CollectDeadLetter(DeadLetter deadLetter) =>
            throw new InvalidOperationException($"Unexpected dead letter at {deadLetter.Source}.");

        public void EmitWatermark(Watermark watermark)
        {
        }

        public void MarkIdle()
        {
        }

        public void Flush() => _writer.Flush();

        public void Dispose() => _writer.Dispose();
    }
}
