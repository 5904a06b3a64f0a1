using System.Text;
using Etl.Samples.OrderTotals.Orders;

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

    [Theory]
    [InlineData("""{"order_id": "o", "customer_id": "c\u0000", "amount": "1.00", "ts": "2026-11-21T10:00:00Z"}""", "bad customer_id")]
    [InlineData("""{"order_id": "o", "customer_id": "c\ud800", "amount": "1.00", "ts": "2026-11-21T10:00:00Z"}""", "bad customer_id")]
    [InlineData("""{"order_id": "o\udc00", "customer_id": "c", "amount": "1.00", "ts": "2026-11-21T10:00:00Z"}""", "bad order_id")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "\ud800", "ts": "2026-11-21T10:00:00Z"}""", "bad amount")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "\ud800"}""", "bad ts")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "1.00", "amount": "2.00", "ts": "2026-11-21T10:00:00Z"}""", "duplicate field: amount")]
    [InlineData("""{"order_id": "o", "customer_id": "a", "customer_id": "b", "amount": "1.00", "ts": "2026-11-21T10:00:00Z"}""", "duplicate field: customer_id")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": 1e400, "ts": "2026-11-21T10:00:00Z"}""", "bad amount")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": 1e-400, "ts": "2026-11-21T10:00:00Z"}""", "bad amount")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": 1E2, "ts": "2026-11-21T10:00:00Z"}""", "bad amount")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": 1.0000000000000000000000000000000000000001, "ts": "2026-11-21T10:00:00Z"}""", "more than 2 decimal places")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "0.1000000000000000000000000000000000000001", "ts": "2026-11-21T10:00:00Z"}""", "more than 2 decimal places")]
    [InlineData("""{"order_id": "o", "customer_id": "c", "amount": "NaN", "ts": "2026-11-21T10:00:00Z"}""", "bad amount")]
    public void Parse_HostileRecord_ThrowsOrderFormatExceptionWithTheReason(string json, string reason)
    {
        Assert.Contains(reason, Reject(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe }, "customer_id", "bad customer_id")]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 }, "customer_id", "bad customer_id")]
    [InlineData(new byte[] { 0xc3, 0x28 }, "amount", "bad amount")]
    [InlineData(new byte[] { 0xff }, "ts", "bad ts")]
    public void Parse_InvalidUtf8InAField_ThrowsOrderFormatExceptionNamingTheField(byte[] raw, string field, string reason)
    {
        var fields = new Dictionary<string, string> { ["order_id"] = "o", ["customer_id"] = "c", ["amount"] = "1", ["ts"] = "2026-11-21T10:00:00Z" };
        var json = new List<byte>("{"u8.ToArray());
        foreach (var (name, value) in fields)
        {
            json.AddRange(Encoding.UTF8.GetBytes($"\"{name}\": \"{value}"));
            if (name == field)
            {
                json.AddRange(raw);
            }

            json.AddRange(Encoding.UTF8.GetBytes(name == "ts" ? "\"}" : "\", "));
        }

        var message = Assert.Throws<OrderFormatException>(() => OrderJson.Parse(json.ToArray())).Message;

        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-0", "0")]
    [InlineData("\"-0.00\"", "0")]
    [InlineData("1.500", "1.5")]
    [InlineData("\"9999999999999999.99\"", "9999999999999999.99")]
    [InlineData("-9999999999999999.99", "-9999999999999999.99")]
    public void Parse_EdgeAmounts_AreExact(string amountJson, string expected)
    {
        var order = Parse($$"""{"order_id": "o", "customer_id": "c", "amount": {{amountJson}}, "ts": "2026-11-21T10:00:00Z"}""");

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), order.Amount);
    }

    [Theory]
    [InlineData(0x0000, true)]
    [InlineData(0x0009, true)]
    [InlineData(0x001F, true)]
    [InlineData(0x0020, false)]
    [InlineData(0x007E, false)]
    [InlineData(0x007F, true)]
    [InlineData(0x0085, true)]
    [InlineData(0x009F, true)]
    [InlineData(0x00A0, false)]
    [InlineData(0x00E9, false)]
    [InlineData(0x4E2D, false)]
    public void Parse_IdWithACharacterAtTheControlRanges_IsRejectedExactlyWhenItIsAControlCharacter(int character, bool control)
    {
        var id = $"c{(char)character}1";
        Assert.Equal(control, char.IsControl(id[1]));
        var json = $$"""{"order_id": "o", "customer_id": "{{System.Text.Json.JsonEncodedText.Encode(id)}}", "amount": "1.00", "ts": "2026-11-21T10:00:00Z"}""";

        if (control)
        {
            Assert.Contains("bad customer_id", Reject(json), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(id, Parse(json).CustomerId);
        }
    }
}
