using System.Diagnostics;
using System.Runtime.InteropServices;
using Etl.DevServices.Kafka;

namespace Etl.DevServices;

/// <summary><c>etl dev kafka</c>: hosts a mock cluster and its control endpoint until SIGTERM/SIGINT or POST /shutdown.</summary>
internal static class MockKafkaHost
{
    public static async Task<int> RunAsync(int brokers, int controlPort, CancellationToken cancellationToken)
    {
        using var cluster = MockKafkaCluster.Create(brokers);
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Handle the signals ourselves so that the cluster is destroyed in order and the exit code is 0.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        var server = new MockKafkaControlServer(cluster, controlPort == 0 ? FreePort.Pick() : controlPort, shutdown);
        var serving = server.RunAsync(shutdown.Token);
        await Console.Out.WriteLineAsync($"bootstrap.servers={cluster.BootstrapServers}");
        await Console.Out.WriteLineAsync($"control={server.Endpoint}");
        await Console.Out.FlushAsync(CancellationToken.None);
        await serving;
        var stopwatch = Stopwatch.StartNew();
        cluster.Dispose();
        await Console.Out.WriteLineAsync($"mock kafka: cluster destroyed in {stopwatch.ElapsedMilliseconds} ms; exiting");
        return 0;
    }
}
