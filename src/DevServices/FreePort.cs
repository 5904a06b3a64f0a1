using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Etl.DevServices;

/// <summary>
/// Loopback ports for the local servers (PostgreSQL, the Ceph monitor and gateways, the mock Kafka's control endpoint),
/// which are picked here and bound later by another process.
/// </summary>
/// <remarks>
/// A port the OS hands out for port 0 comes from its ephemeral range, the same range every outgoing connection
/// (Npgsql, librdkafka, HttpClient) takes its local port from: between the pick and the server's bind, any connect()
/// can take it, and the server then fails with "address in use" (seen once for the mock Kafka control endpoint).
/// So ports come from below that range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>; above it when the range starts
/// too low), where no connection is ever given one; each is checked free by binding it, and one process never hands out
/// the same port twice. A kernel whose range leaves fewer than 1,000 ports on either side gets the OS's pick.
/// </remarks>
internal static class FreePort
{
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    private const int Lowest = 10_000;
    private const int Highest = 65_535;
    private const int MinimumPorts = 1_000;
    private const int Attempts = 200;

    private static readonly HashSet<int> Given = [];

    // The kernel's range, read once per process.
    private static readonly (int Low, int High)? Range = PickingRange(ReadEphemeralRange());

    /// <summary>A loopback TCP port that is free now and, where the kernel leaves room, outside the range it gives outgoing connections.</summary>
    public static int Pick()
    {
        lock (Given)
        {
            if (Range is not { } range)
            {
                // The ephemeral range covers (almost) every port: the OS's pick is as good as any.
                return FromOs();
            }

            var (low, high) = range;

            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var port = Random.Shared.Next(low, high + 1);
                if (!Given.Contains(port) && IsFree(port))
                {
                    Given.Add(port);
                    return port;
                }
            }

            throw new InvalidOperationException($"No free loopback port in {low}-{high} after {Attempts} tries (outside the kernel's ephemeral ports, {EphemeralRangeFile}).");
        }
    }

    /// <summary>The kernel's ephemeral range, or Linux's default when the file cannot be read.</summary>
    internal static (int Start, int End) ReadEphemeralRange()
    {
        (int, int) linuxDefault = (32_768, 60_999);
        try
        {
            var fields = File.ReadAllText(EphemeralRangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields.Length == 2
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                ? (start, end)
                : linuxDefault;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return linuxDefault;
        }
    }

    /// <summary>
    /// The ports to pick from: below the ephemeral range (from 10000), else above it, when either has at least 1,000
    /// ports; null when neither has.
    /// </summary>
    internal static (int Low, int High)? PickingRange((int Start, int End) ephemeral) =>
        ephemeral.Start - Lowest >= MinimumPorts ? (Lowest, ephemeral.Start - 1)
        : Highest - ephemeral.End >= MinimumPorts ? (Math.Max(ephemeral.End + 1, Lowest), Highest)
        : null;

    private static int FromOs()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Given.Add(port);
        return port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
