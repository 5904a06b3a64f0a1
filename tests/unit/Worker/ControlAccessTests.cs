using System.Net;
using Etl.Hosting.Http;

namespace Etl.Tests.Unit.Worker;

public class ControlAccessTests
{
    private const string Token = "0123456789abcdef-control";

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Check_NoTokenConfigured_LoopbackCaller_IsAllowed(string remote)
    {
        Assert.Null(new ControlAccess("").Check("POST /savepoint", IPAddress.Parse(remote), null));
    }

    [Theory]
    [InlineData("192.0.2.2")]
    [InlineData("10.0.0.7")]
    [InlineData("fd00::2")]
    [InlineData("::ffff:10.0.0.7")]
    public void Check_NoTokenConfigured_NonLoopbackCaller_Is403WithWhatToDo(string remote)
    {
        var refusal = new ControlAccess("").Check("POST /stop", IPAddress.Parse(remote), "Bearer anything-at-all-0123");

        Assert.NotNull(refusal);
        Assert.Equal(403, refusal.StatusCode);
        Assert.Contains("loopback", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Etl:Http:ControlToken", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(remote, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoTokenConfigured_UnknownCaller_Is403()
    {
        Assert.Equal(403, new ControlAccess("").Check("POST /stop", null, null)?.StatusCode);
    }

    [Theory]
    [InlineData("192.0.2.2")]
    [InlineData("127.0.0.1")]
    public void Check_TokenConfigured_RightBearer_IsAllowedFromAnyAddress(string remote)
    {
        Assert.Null(new ControlAccess(Token).Check("POST /savepoint", IPAddress.Parse(remote), "Bearer " + Token));
        Assert.Null(new ControlAccess(Token).Check("POST /savepoint", IPAddress.Parse(remote), "bearer " + Token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    [InlineData("Bearer 0123456789abcdef-contro")]
    [InlineData("Bearer 0123456789abcdef-controlX")]
    public void Check_TokenConfigured_MissingOrWrongBearer_Is401_EvenFromLoopback(string? authorization)
    {
        var refusal = new ControlAccess(Token).Check("POST /savepoint", IPAddress.Loopback, authorization);

        Assert.NotNull(refusal);
        Assert.Equal(401, refusal.StatusCode);
        Assert.DoesNotContain(Token, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0123456789abcdef", true)]
    [InlineData("abc-DEF_ghi.jkl~mno+pqr/stu==", true)]
    [InlineData("0123456789abcde", false)]
    [InlineData("0123456789 abcdef", false)]
    [InlineData("================", false)]
    [InlineData("0123456789abcdef=x", false)]
    public void IsWellFormedToken_FollowsTheBearerTokenGrammar(string token, bool expected)
    {
        Assert.Equal(expected, ControlAccess.IsWellFormedToken(token));
    }
}
