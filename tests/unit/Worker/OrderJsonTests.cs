using System.Text;
using Etl.Worker.Orders;

namespace Etl.Tests.Unit.Worker;

public class OrderJsonTests
{
    private static Order Parse(string json) => OrderJson.Parse(Encoding.UTF8.GetBytes(json));

    private static string Reject(string json) => Assert.Throws<OrderFormatException>(() => Parse(json)).Message;

    [Fact]
    public void Parse_DecimalStringAmountAndIsoTimestamp_ReadsEveryField()
    {
        var order = Parse("""{"order_id": "o-1", "customer_id": "c-42", "amount": "12.34", "ts": "2026-11-21T10:00:00.123Z"}""");

        Assert.Equal(new Order("o-1", "c-42", 12.34m, DateTimeOffset.Parse("2026-11-21T10:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()), order);
    }

    [Fact]
    public void Parse_NumberAmountAndOffsetTimestamp_IsExactAndConvertedToUtc()
    {
        var order = Parse("""{"ts": "2026-11-21T12:00:00+02:00", "amount": 0.1, "customer_id": "c", "order_id": "o", "extra": [1, {"x": 2}]}""");

        Assert.Equal(0.1m, order.Amount);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), order.Timestamp);
    }

    [Theory]
    [InlineData("2026-11-21T10:00:00.123Z")]
    [InlineData("2026-11-21T10:00:00.1234567z")]
    [InlineData("2026-11-21T12:00:00+02:00")]
    [InlineData("2026-11-21T04:30:00.5-05:30")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("\\u0032026-11-21T10:00:00.120Z")]
    public void Parse_Timestamp_FastAndGeneralPathsAgree(string ts)
    {
        // Unescaped ISO-8601 with an offset takes the reader's own parser; escaped or other layouts take
        // DateTimeOffset.TryParse. Both must give the instant DateTimeOffset.Parse gives.
        var order = Parse($$"""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "{{ts}}"}""");

        var expected = DateTimeOffset.Parse(System.Text.RegularExpressions.Regex.Unescape(ts), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected.ToUnixTimeMilliseconds(), order.Timestamp);
    }

    [Theory]
    [InlineData("not json", "malformed JSON")]
    [InlineData("", "malformed JSON")]
    [InlineData("[1,2]", "malformed JSON")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "2026-11-21T10:00:00Z" """, "malformed JSON")]
    [InlineData("""{"order_id": "o", "amount": "1.00", "ts": "2026-11-21T10:00:00Z"}""", "missing field: customer_id")]
    [InlineData("""{"customer_id": "c", "amount": "1.00", "ts": "2026-11-21T10:00:00Z"}""", "missing field: order_id")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "ts": "2026-11-21T10:00:00Z"}""", "missing field: amount")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.00"}""", "missing field: ts")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "12.3x", "ts": "2026-11-21T10:00:00Z"}""", "bad amount")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1e3", "ts": "2026-11-21T10:00:00Z"}""", "bad amount")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": true, "ts": "2026-11-21T10:00:00Z"}""", "bad amount")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.005", "ts": "2026-11-21T10:00:00Z"}""", "more than 2 decimal places")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "yesterday"}""", "bad ts")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "2026-11-21T10:00:00"}""", "bad ts")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "1969-12-31T23:59:59Z"}""", "bad ts")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "2026-13-21T10:00:00Z"}""", "bad ts")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": 1763719200000}""", "bad ts")]
    [InlineData("""{"order_id": 7, "customer_id": "c", "amount": "1.00", "ts": "2026-11-21T10:00:00Z"}""", "bad order_id")]
    [InlineData("""{"order_id": "o", "customer_id": "", "amount": "1.00", "ts": "2026-11-21T10:00:00Z"}""", "bad customer_id")]
    public void Parse_BadRecord_ThrowsWithTheReason(string json, string reason)
    {
        Assert.Contains(reason, Reject(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AmountBeyondNumeric18_2_IsRejected()
    {
        Assert.Contains("out of range", Reject("""{"order_id": "o", "customer_id": "c", "amount": "100000000000000000.00", "ts": "2026-11-21T10:00:00Z"}"""), StringComparison.Ordinal);
    }
}
