using Etl.Connectors.Kafka.Mock;

namespace Etl.Worker.Dev;

/// <summary><c>etl dev kafka</c>: hosts a mock cluster and its control endpoint until SIGTERM/SIGINT or POST /shutdown.</summary>
internal static class MockKafkaHost
{
    public static async Task<int> RunAsync(int brokers, int controlPort, CancellationToken cancellationToken)
    {
        using var cluster = MockKafkaCluster.Create(brokers);
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var server = new MockKafkaControlServer(cluster, controlPort == 0 ? FreePort.Pick() : controlPort, shutdown);
        var serving = server.RunAsync(shutdown.Token);
        await Console.Out.WriteLineAsync($"bootstrap.servers={cluster.BootstrapServers}");
        await Console.Out.WriteLineAsync($"control={server.Endpoint}");
        await Console.Out.FlushAsync(cancellationToken);
        await serving;
        await Console.Out.WriteLineAsync("mock kafka: shutting down");
        return 0;
    }
}
