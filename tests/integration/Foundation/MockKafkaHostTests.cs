using System.Globalization;
using Etl.DevServices;
using Etl.DevServices.Kafka;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Foundation;

/// <summary>The mock Kafka host as its own process, independent of the shared services.</summary>
public sealed class MockKafkaHostTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MockHost_OutlivesAClientKilledWithSigkill_AndStopsCleanlyOnShutdown()
    {
        var ct = TestDeadline.Token();
        var port = FreePort.Pick();
        await using var host = EtlProcess.Start(["dev", "kafka", "--brokers", "1", "--control-port", port.ToString(CultureInfo.InvariantCulture)]);
        using var control = new MockKafkaControl(new Uri($"http://127.0.0.1:{port}/"));
        MockKafkaHealth? health = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    health = await control.GetHealthAsync(ct);
                    return true;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "the mock host's control endpoint to answer");
        Assert.Equal(host.Id, health!.ProcessId);
        await control.CreateTopicAsync("orders", partitions: 2, replicationFactor: 1, ct);
        string[] produce = ["dev", "produce", "--bootstrap-servers", health.BootstrapServers, "--topic", "orders", "--count", "4"];

        // A consumer waiting for more records than exist is killed mid-flight, as a crashing worker would be.
        await using (var doomed = EtlProcess.Start(["dev", "consume", "--bootstrap-servers", health.BootstrapServers, "--topic", "orders", "--count", "1000", "--group", "doomed"]))
        {
            await using (var producer = EtlProcess.Start(produce))
            {
                Assert.True(await producer.WaitForExitAsync(ProcessTimeout) == 0, producer.ErrorText);
            }

            await Poll.UntilAsync(() => doomed.OutputLines.Count == 4, TimeSpan.FromSeconds(30), "the doomed consumer to read 4 records");
            doomed.Kill();
            Assert.NotEqual(0, await doomed.WaitForExitAsync(ProcessTimeout));
        }

        await using (var survivor = EtlProcess.Start(["dev", "consume", "--bootstrap-servers", health.BootstrapServers, "--topic", "orders", "--count", "4", "--group", "survivor"]))
        {
            Assert.True(await survivor.WaitForExitAsync(ProcessTimeout) == 0, survivor.ErrorText);
            Assert.Equal(4, survivor.OutputLines.Count);
        }

        await control.ShutdownAsync(ct);
        Assert.Equal(0, await host.WaitForExitAsync(ProcessTimeout));
        Assert.Contains(host.OutputLines, line => line.StartsWith("bootstrap.servers=", StringComparison.Ordinal));
    }
}
