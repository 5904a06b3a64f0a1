using System.Globalization;

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>
/// The established TCP connections a process holds, read from Linux's <c>/proc</c>: the socket inodes among its file
/// descriptors, matched against <c>/proc/net/tcp</c> and <c>tcp6</c>. Proves what a process talks to (for example
/// that a standby worker holds one PostgreSQL session and nothing else) without trusting its own logs.
/// </summary>
internal static class ProcessConnections
{
    private const string EstablishedState = "01";

    /// <summary>(local port, remote port) of each established TCP connection of process <paramref name="pid"/>.</summary>
    public static IReadOnlyList<(int LocalPort, int RemotePort)> Established(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // The descriptor was closed while we looked.
            }
        }

        var connections = new List<(int, int)>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == EstablishedState && inodes.Contains(fields[9]))
                {
                    connections.Add((Port(fields[1]), Port(fields[2])));
                }
            }
        }

        return connections;
    }

    private static int Port(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
