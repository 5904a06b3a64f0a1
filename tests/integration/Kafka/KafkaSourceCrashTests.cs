using System.Diagnostics;
using System.Reflection;
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
                using var host = await StartHostAsync(topic, group, dir, ct);
                var before = LineCount(output);
                // Let it make progress past at least one checkpoint, then kill it mid-flight.
                await Poll.UntilAsync(() => host.HasExited || LineCount(output) >= Math.Min(Records, before + 120), Deadline, "the host to make progress");
                if (LineCount(output) >= Records)
                {
                    await Task.Delay(300, ct);
                }

                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync(ct);
                kills++;
            }

            // The last run's unchecked tail is discarded on the next start; start once more to settle.
            using (var final = await StartHostAsync(topic, group, dir, ct))
            {
                await Poll.UntilAsync(() => LineCount(output) >= Records, Deadline, "the final run to reach all records");
                await Task.Delay(300, ct);
                final.Kill(entireProcessTree: true);
                await final.WaitForExitAsync(ct);
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
    private static async Task<Process> StartHostAsync(string topic, string group, string dir, CancellationToken ct)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { HostDll, "kafka-source", LocalServices.Current.KafkaBootstrapServers, topic, group, dir, "15" })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the test host.");
        var first = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(Deadline, ct);
        Assert.StartsWith("started at checkpoint", first, StringComparison.Ordinal);
        return process;
    }

    private static string HostDll
    {
        get
        {
            var configuration = typeof(KafkaSourceCrashTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = Path.Combine(RepoPaths.Root, "tests", "host", "bin", configuration, "net10.0", "Etl.Tests.Host.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} not found: build tests/host first.");
        }
    }
}
