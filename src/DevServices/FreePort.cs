using System.Net;
using System.Net.Sockets;

namespace Etl.DevServices;

internal static class FreePort
{
    /// <summary>A loopback TCP port that was free a moment ago (the OS picks it; a race with another process is possible but rare).</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
