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
/// So ports come from below that range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>), where no connection is ever
/// given one; each is checked free by binding it, and one process never hands out the same port twice.
/// </remarks>
internal static class FreePort
{
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    private const int Lowest = 10_000;
    private const int Attempts = 200;

    private static readonly HashSet<int> Given = [];

    /// <summary>A loopback TCP port that is free now and outside the range the OS gives outgoing connections.</summary>
    public static int Pick()
    {
        var highest = PortsBelowEphemeral(ReadEphemeralStart()) - 1;
        lock (Given)
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var port = Random.Shared.Next(Lowest, highest + 1);
                if (!Given.Contains(port) && IsFree(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException(
            $"No free loopback port in {Lowest}-{highest} after {Attempts} tries (the range below the kernel's ephemeral ports, {EphemeralRangeFile}).");
    }

    /// <summary>The first port of the kernel's ephemeral range, or Linux's default start when the file cannot be read.</summary>
    internal static int ReadEphemeralStart()
    {
        const int LinuxDefault = 32_768;
        try
        {
            var fields = File.ReadAllText(EphemeralRangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields.Length == 2 && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : LinuxDefault;
        }
        catch (IOException)
        {
            return LinuxDefault;
        }
        catch (UnauthorizedAccessException)
        {
            return LinuxDefault;
        }
    }

    /// <summary>The exclusive upper end of the picking range for an ephemeral range starting at <paramref name="ephemeralStart"/>.</summary>
    internal static int PortsBelowEphemeral(int ephemeralStart) =>
        ephemeralStart - Lowest >= 1_000
            ? ephemeralStart
            : throw new InvalidOperationException(
                $"The kernel's ephemeral port range starts at {ephemeralStart} ({EphemeralRangeFile}), leaving too few ports below it " +
                $"(from {Lowest}) for the local servers; raise its start (e.g. sysctl net.ipv4.ip_local_port_range=\"32768 60999\").");

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
