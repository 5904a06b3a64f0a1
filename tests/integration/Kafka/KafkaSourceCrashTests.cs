using Etl.Tests.Integration.Infrastructure;
using static Etl.Tests.Integration.Kafka.KafkaSourceTestKit;

namespace Etl.Tests.Integration.Kafka;

public sealed class KafkaSourceCrashTests
{
    private const int Records = 600;

    [Fact]
    public async Task Source_KilledRepeatedlyWhileReading_OutputHoldsEveryRecordExactlyOnce()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(2, ct, "src-crash");
        var group = $"group-{Guid.NewGuid():N}";
        var dir = Directory.CreateTempSubdirectory("etl-kafka-crash-").FullName;
        try
        {
            await ProduceAsync(topic, 0, Enumerable.Range(0, Records / 2).Select(i => $"p0-{i:D4}"), ct);
            await ProduceAsync(topic, 1, Enumerable.Range(0, Records / 2).Select(i => $"p1-{i:D4}"), ct);
            var output = Path.Combine(dir, "output.txt");
            var kills = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (LineCount(output) < Records || !File.Exists(Path.Combine(dir, "checkpoint.json")))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the host did not finish in time ({LineCount(output)} lines, {kills} kills)");
                await using var host = await StartHostAsync(topic, group, dir);
                var before = LineCount(output);
                // Let it make progress past at least one checkpoint, then kill it mid-flight.
                await Poll.UntilAsync(() => host.HasExited || LineCount(output) >= Math.Min(Records, before + 120), Deadline, "the host to make progress");
                if (LineCount(output) >= Records)
                {
                    await Task.Delay(300, ct);
                }

                await host.KillAsync();
                kills++;
            }

            // The last run's unchecked tail is discarded on the next start; start once more to settle.
            await using (var final = await StartHostAsync(topic, group, dir))
            {
                await Poll.UntilAsync(() => LineCount(output) >= Records, Deadline, "the final run to reach all records");
                await Task.Delay(300, ct);
                await final.KillAsync();
            }

            var lines = File.ReadAllLines(output);
            Assert.True(kills >= 2, $"expected several crashes, got {kills}");
            Assert.Equal(lines.Length, lines.Distinct().Count());
            var expected = Enumerable.Range(0, Records / 2).SelectMany(i => new[] { $"p0-{i:D4}", $"p1-{i:D4}" });
            Assert.Equal(expected.Order(), lines.Order());
            Assert.Equal(lines.Where(l => l.StartsWith("p0", StringComparison.Ordinal)).Order(), lines.Where(l => l.StartsWith("p0", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long LineCount(string path) => File.Exists(path) ? File.ReadLines(path).Count() : 0;

    /// <summary>Starts the host and waits until it has restored (and truncated the output to its checkpoint).</summary>
    private static async Task<EtlProcess> StartHostAsync(string topic, string group, string dir)
    {
        var process = EtlProcess.StartHost("kafka-source", [TestServices.KafkaBootstrapServers, topic, group, dir, "15"]);
        await process.WaitForOutputAsync(lines => lines.Count > 0, Deadline, "print its first line");
        Assert.StartsWith("started at checkpoint", process.OutputLines[0], StringComparison.Ordinal);
        return process;
    }
}
