using Etl.Connectors.Postgres;

namespace Etl.Tests.Integration.Sink;

/// <summary>Pure checks of the gid format (no database).</summary>
public sealed class TransactionGidTests
{
    [Fact]
    public void Gid_RoundTripsThroughItsText()
    {
        var gid = new TransactionGid("orders", "totals", 3, 1742);

        Assert.Equal("etl:orders:totals:3:1742", gid.ToString());
        Assert.True(TransactionGid.TryParse(gid.ToString(), out var parsed));
        Assert.Equal(gid, parsed);
    }

    [Theory]
    [InlineData("etl:orders:totals:3")]
    [InlineData("etl:orders:totals:x:1")]
    [InlineData("xa:orders:totals:3:1")]
    [InlineData("etl:orders:to:tals:3:1")]
    public void Gid_OfAnotherShape_IsNotParsed(string text) => Assert.False(TransactionGid.TryParse(text, out _));

    [Fact]
    public void Gid_OfTheLongestAllowedNames_StaysUnder200Bytes()
    {
        var name = new string('n', TransactionGid.MaxNameBytes);
        Assert.Null(TransactionGid.Problem(name));

        var gid = new TransactionGid(name, name, int.MaxValue, long.MaxValue).ToString();

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(gid) < 200, gid);
        Assert.NotNull(TransactionGid.Problem(name + "n"));
    }

    [Fact]
    public void AdvisoryLockKey_DiffersPerSubtask_AndIsStable()
    {
        Assert.Equal(AdvisoryLockKey.ForSinkSubtask("j", "s", 0), AdvisoryLockKey.ForSinkSubtask("j", "s", 0));
        Assert.NotEqual(AdvisoryLockKey.ForSinkSubtask("j", "s", 0), AdvisoryLockKey.ForSinkSubtask("j", "s", 1));
        Assert.NotEqual(AdvisoryLockKey.ForSinkSubtask("j", "s", 0), AdvisoryLockKey.ForSinkSubtask("j", "t", 0));
    }
}
