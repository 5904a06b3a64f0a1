using System.Net;
using System.Net.Sockets;
using Etl.DevServices;

namespace Etl.Tests.Unit.DevServices;

public sealed class FreePortTests
{
    [Fact]
    public void Pick_GivesDistinctBindablePortsOutsideTheKernelsEphemeralRange()
    {
        var (start, end) = FreePort.ReadEphemeralRange();
        var ports = Enumerable.Range(0, 50).Select(_ => FreePort.Pick()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        if (FreePort.PickingRange((start, end)) is not null)
        {
            Assert.All(ports, p => Assert.False(p >= start && p <= end, $"{p} is in the ephemeral range {start}-{end}"));
        }

        using var listener = new TcpListener(IPAddress.Loopback, ports[0]);
        listener.Start();
    }

    [Theory]
    [InlineData(32_768, 60_999, 10_000, 32_767)]
    [InlineData(10_500, 60_999, 61_000, 65_535)]
    [InlineData(1_024, 60_000, 60_001, 65_535)]
    public void PickingRange_IsBelowTheEphemeralRangeElseAboveIt(int start, int end, int low, int high) =>
        Assert.Equal((low, high), FreePort.PickingRange((start, end)));

    [Fact]
    public void PickingRange_NoRoomOnEitherSide_LeavesThePickToTheOs() =>
        Assert.Null(FreePort.PickingRange((1_024, 65_000)));
}
