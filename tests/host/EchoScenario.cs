namespace Etl.Tests.Host;

/// <summary>Prints its arguments: proves the host starts and dispatches.</summary>
internal sealed class EchoScenario : IHostScenario
{
    public string Name => "echo";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await Console.Out.WriteLineAsync(string.Join(' ', args));
        return 0;
    }
}
