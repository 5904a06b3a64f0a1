namespace Etl.Tests.Host;

/// <summary>A program the crash tests run in a child process: <c>dotnet Etl.Tests.Host.dll NAME args...</c>.</summary>
internal interface IHostScenario
{
    string Name { get; }

    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
