namespace Etl.Hosting.Configuration;

/// <summary>
/// Etl:Http: the worker endpoint. Read-only routes (health, metrics, status) answer on whatever address
/// <see cref="Host"/> names; the control routes (POST /savepoint, POST /stop) answer loopback clients only,
/// unless <see cref="ControlToken"/> is set, and then every caller must send it as a bearer token.
/// </summary>
internal sealed record HttpSettings
{
    /// <summary>0 picks a free port (printed at start); -1 disables the endpoint.</summary>
    public int Port { get; init; } = 9249;

    /// <summary>The address to listen on: loopback by default; 0.0.0.0 or :: for every interface (a container, a pod).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Empty: control routes are loopback-only. Set: they require <c>Authorization: Bearer &lt;token&gt;</c> from any address.</summary>
    public string ControlToken { get; init; } = "";

    /// <summary>The token as a string that can be logged: never the token itself.</summary>
    public override string ToString() =>
        $"HttpSettings {{ Port = {Port}, Host = {Host}, ControlToken = {(ControlToken.Length > 0 ? "(set)" : "(none)")} }}";
}
