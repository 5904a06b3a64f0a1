namespace Etl.Worker.Configuration;

/// <summary>Etl:Http: the loopback endpoint for health, metrics and savepoints.</summary>
internal sealed record HttpSettings
{
    /// <summary>0 picks a free port (printed at start); -1 disables the endpoint.</summary>
    public int Port { get; init; } = 9249;

    /// <summary>A loopback address: the endpoint can trigger savepoints and has no authentication.</summary>
    public string Host { get; init; } = "127.0.0.1";
}
