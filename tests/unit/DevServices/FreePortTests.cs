using System.Net;
using System.Net.Sockets;
using Etl.DevServices;

namespace Etl.Tests.Unit.DevServices;

public sealed class FreePortTests
{
    [Fact]
    public void Pick_GivesDistinctBindablePortsBelowTheKernelsEphemeralRange()
    {
        var ephemeralStart = FreePort.ReadEphemeralStart();
        var ports = Enumerable.Range(0, 50).Select(_ => FreePort.Pick()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 10_000, ephemeralStart - 1));
        using var listener = new TcpListener(IPAddress.Loopback, ports[0]);
        listener.Start();
    }

    [Fact]
    public void PortsBelowEphemeral_TooLowAStart_SaysWhatToChange()
    {
        var error = Assert.Throws<InvalidOperationException>(() => FreePort.PortsBelowEphemeral(10_500));

        Assert.Contains("ip_local_port_range", error.Message, StringComparison.Ordinal);
        Assert.Equal(32_768, FreePort.PortsBelowEphemeral(32_768));
    }
}
