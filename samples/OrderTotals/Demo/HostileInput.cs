using System.Text;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>
/// Hostile records for the generated stream (issue 13, scenarios 10-12), each with what it must become: NUL (escaped
/// and raw), invalid UTF-8, lone and CESU-encoded surrogates, control characters, absurd numbers and a timestamp past
/// the end of time are <c>deserialization</c> dead letters; an order in year 9999 is an <c>event-time-ahead</c> dead
/// letter; an order of the maximum amount, or with NUL in unknown property names, is a valid order and counted.
/// </summary>
internal static class HostileInput
{
    /// <summary>The largest amount the parser accepts (docs/worker.md).</summary>
    public const decimal MaxAmount = 9_999_999_999_999_999.99m;

    public static (byte[] Value, GeneratedKind Kind, Order? Order) Generate(int i, string customer, long streamTime, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = OrderStream.Timestamp(streamTime);
        var ok = $"\"order_id\": \"o-{i}\", \"amount\": \"1.00\", \"ts\": \"{t}\"";
        switch (random.Next(14))
        {
            case 0:
                return Malformed($$"""{"customer_id": "{{customer}}\u0000x", {{ok}}}""");
            case 1:
                // The NUL reaches the error text, which PostgreSQL's text rejects: the original crash loop.
                return Malformed($$"""{"order_id": "o-{{i}}", "customer_id": "{{customer}}", "amount": "1\u0000", "ts": "{{t}}"}""");
            case 2:
                return Malformed($$"""{"order_id": "o-{{i}}", "customer_id": "{{customer}}", "amount": "1.00", "ts": "{{t}}\u0000"}""");
            case 3:
                return (Splice($"{{\"customer_id\": \"{customer}", [0], $"\", {ok}}}"), GeneratedKind.Malformed, null);
            case 4:
                return (Splice($"{{\"customer_id\": \"{customer}", [0xff, 0xfe], $"\", {ok}}}"), GeneratedKind.Malformed, null);
            case 5:
                return Malformed($$"""{"customer_id": "{{customer}}\ud800", {{ok}}}""");
            case 6:
                return (Splice($"{{\"order_id\": \"o-{i}\", \"customer_id\": \"{customer}\", \"amount\": \"1.00\", \"ts\": \"", [0xed, 0xa0, 0x80], "\"}"), GeneratedKind.Malformed, null);
            case 7:
                return Malformed($$"""{"order_id": "o-{{i}}", "customer_id": "{{customer}}", "ts": "{{t}}", "amount": 1e400}""");
            case 8:
                return Malformed($$"""{"order_id": "o-{{i}}", "customer_id": "{{customer}}", "ts": "{{t}}", "amount": "{{new string('9', 60)}}"}""");
            case 9:
                return Malformed($$"""{"order_id": "o-{{i}}", "customer_id": "{{customer}}", "amount": "1.00", "ts": "9999-12-31T23:59:59.999-14:00"}""");
            case 10:
                return (Encoding.UTF8.GetBytes($$"""{"order_id": "o-{{i}}", "customer_id": "{{customer}}", "amount": "5.00", "ts": "9999-12-31T23:59:59.999Z"}"""), GeneratedKind.AheadOfTime, null);
            case 11:
                return Malformed($$"""{"order_id": "o-{{i}}\u001f", "customer_id": "{{customer}}", "amount": "1.00", "ts": "{{t}}"}""");
            case 12:
                {
                    var order = new Order($"o-{i}", customer, random.Next(2) == 0 ? MaxAmount : -MaxAmount, streamTime);
                    return (OrderStream.Json(order, amountAsNumber: false), GeneratedKind.OnTime, order);
                }

            default:
                {
                    var order = new Order($"o-{i}", customer, 2.50m, streamTime);
                    var value = Encoding.UTF8.GetBytes(
                        $$"""{"x\u0000": 1, "customer_id": "{{customer}}", "note": "{{new string('n', 10_000)}}", "order_id": "o-{{i}}", "amount": "2.50", "amount\u0000": "9", "ts": "{{t}}"}""");
                    return (value, GeneratedKind.OnTime, order);
                }
        }
    }

    private static (byte[], GeneratedKind, Order?) Malformed(string json) => (Encoding.UTF8.GetBytes(json), GeneratedKind.Malformed, null);

    private static byte[] Splice(string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];
}
