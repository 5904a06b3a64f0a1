using System.Net;

namespace Etl.Hosting.Http;

/// <summary>The address Etl:Http:Host names: an IP address, or <c>localhost</c> (127.0.0.1).</summary>
internal static class ListenAddress
{
    public static bool TryParse(string host, out IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        // Brackets are how an IPv6 address appears in a URL; accept them here too.
        return IPAddress.TryParse(host.Trim('[', ']'), out address!);
    }

    /// <summary>
    /// The URL a local client (the CLI, a test) uses to reach the endpoint listening on
    /// <paramref name="address"/>:<paramref name="port"/>: a wildcard address is reached through loopback,
    /// which is also where the control routes answer without a token.
    /// </summary>
    public static Uri LocalUrl(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        var reach = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : address;
        var host = reach.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{reach}]" : reach.ToString();
        return new Uri($"http://{host}:{port}/");
    }
}
