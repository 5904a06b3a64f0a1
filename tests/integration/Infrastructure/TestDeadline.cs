namespace Etl.Tests.Integration.Infrastructure;

/// <summary>xunit 2 has no per-test token; bound every test by a generous deadline instead of hanging CI.</summary>
internal static class TestDeadline
{
    public static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;
}
