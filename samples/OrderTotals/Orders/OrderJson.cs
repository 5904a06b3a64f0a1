using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Etl.Samples.OrderTotals.Orders;

/// <summary>
/// Reads one order from UTF-8 JSON straight from a span (Utf8JsonReader, no intermediate string of the
/// document): <c>{"order_id": "o-1", "customer_id": "c-42", "amount": "12.34", "ts": "2026-11-21T10:00:00.123Z"}</c>.
/// The amount is a decimal string or a JSON number; ts is ISO-8601 with an offset (or Z). Unknown
/// properties are ignored. Anything else throws <see cref="OrderFormatException"/> whose message says
/// what was wrong; the Kafka source turns that into a dead letter.
/// </summary>
internal static class OrderJson
{
    /// <summary>Amounts are numeric(18,2) in the output: at most 16 integer digits and 2 decimals.</summary>
    public const decimal MaxAmount = 9_999_999_999_999_999.99m;

    private static ReadOnlySpan<byte> OrderIdName => "order_id"u8;

    private static ReadOnlySpan<byte> CustomerIdName => "customer_id"u8;

    private static ReadOnlySpan<byte> AmountName => "amount"u8;

    private static ReadOnlySpan<byte> TsName => "ts"u8;

    public static Order Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            throw new OrderFormatException("malformed JSON: the record value is empty");
        }

        string? orderId = null, customerId = null;
        decimal? amount = null;
        long? ts = null;
        string? field = null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new OrderFormatException("malformed JSON: the record is not a JSON object");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    throw new OrderFormatException("malformed JSON: expected a property name");
                }

                if (reader.ValueTextEquals(OrderIdName))
                {
                    field = "order_id";
                    reader.Read();
                    orderId = orderId is null ? ReadId(ref reader, "order_id") : throw Duplicate(field);
                }
                else if (reader.ValueTextEquals(CustomerIdName))
                {
                    field = "customer_id";
                    reader.Read();
                    customerId = customerId is null ? ReadId(ref reader, "customer_id") : throw Duplicate(field);
                }
                else if (reader.ValueTextEquals(AmountName))
                {
                    field = "amount";
                    reader.Read();
                    amount = amount is null ? ReadAmount(ref reader) : throw Duplicate(field);
                }
                else if (reader.ValueTextEquals(TsName))
                {
                    field = "ts";
                    reader.Read();
                    ts = ts is null ? ReadTimestamp(ref reader) : throw Duplicate(field);
                }
                else
                {
                    field = null;
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw new OrderFormatException("malformed JSON: the object is not closed");
            }

            if (reader.Read())
            {
                throw new OrderFormatException("malformed JSON: data after the end of the object");
            }
        }
        catch (JsonException e)
        {
            throw new OrderFormatException($"malformed JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e) when (field is not null)
        {
            // The reader validates a string's UTF-8 and escapes only when asked for its text: raw bytes that are not
            // UTF-8, or an escaped lone surrogate (\ud800), which no UTF-8 text can hold.
            throw new OrderFormatException($"bad {field}: not valid text (invalid UTF-8 or a lone surrogate escape)", e);
        }

        return new Order(
            orderId ?? throw Missing("order_id"),
            customerId ?? throw Missing("customer_id"),
            amount ?? throw Missing("amount"),
            ts ?? throw Missing("ts"));
    }

    /// <summary>The canonical JSON of an order (amount as a string with two decimals, ts in UTC with milliseconds).</summary>
    public static byte[] Serialize(Order order, bool amountAsNumber = false)
    {
        ArgumentNullException.ThrowIfNull(order);
        var amount = order.Amount.ToString("0.00", CultureInfo.InvariantCulture);
        var amountJson = amountAsNumber ? amount : $"\"{amount}\"";
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(order.Timestamp).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(
            $"{{\"order_id\": {JsonSerializer.Serialize(order.OrderId, OrderJsonContext.Default.String)}, " +
            $"\"customer_id\": {JsonSerializer.Serialize(order.CustomerId, OrderJsonContext.Default.String)}, \"amount\": {amountJson}, \"ts\": \"{ts}\"}}");
    }

    private static OrderFormatException Missing(string field) => new($"missing field: {field}");

    // Parsers disagree on which of two values wins (System.Text.Json keeps the last, others the first): ambiguous.
    private static OrderFormatException Duplicate(string field) => new($"duplicate field: {field}");

    private static string ReadId(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new OrderFormatException($"bad {field}: expected a string, got {Describe(reader.TokenType)}");
        }

        var value = reader.GetString()!;
        // char.IsControl's two ranges, on the span: LINQ's Any over the string boxed an enumerator and called a delegate per
        // character, for every order (5 % of the job's allocated bytes in the benchmark's allocation profile).
        if (value.Length == 0 || value.Length > 200 || value.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || value.AsSpan().ContainsAnyInRange('\u007F', '\u009F'))
        {
            throw new OrderFormatException($"bad {field}: must be 1 to 200 characters without control characters");
        }

        return value;
    }

    private static decimal ReadAmount(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.String))
        {
            throw new OrderFormatException($"bad amount: expected a decimal string or number, got {Describe(reader.TokenType)}");
        }

        var span = reader.HasValueSequence || reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        // Checked on the text, before decimal parsing rounds it: decimal keeps 28 digits, so 1.0000000000000000000000000000001
        // would parse as 1 and 1e-400 as 0. The rule is one for strings and numbers: plain digits, an optional sign and point.
        if (span.IndexOfAny("eE"u8) >= 0 || !Utf8Parser.TryParse(span, out decimal value, out var consumed) || consumed != span.Length)
        {
            throw new OrderFormatException($"bad amount: {Quote(ref reader)} is not a decimal number (digits, an optional sign and decimal point, no exponent)");
        }

        var point = span.IndexOf((byte)'.');
        if (point >= 0 && span[(point + 1)..].Length > 2 && span[(point + 3)..].IndexOfAnyExcept((byte)'0') >= 0)
        {
            throw new OrderFormatException($"bad amount: {Quote(ref reader)} has more than 2 decimal places");
        }

        if (decimal.Abs(value) > MaxAmount)
        {
            throw new OrderFormatException($"bad amount: {Quote(ref reader)} is out of range (at most {MaxAmount.ToString(CultureInfo.InvariantCulture)})");
        }

        return value;
    }

    private static long ReadTimestamp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new OrderFormatException($"bad ts: expected an ISO-8601 string, got {Describe(reader.TokenType)}");
        }

        // Fast path, no string: an unescaped ISO-8601 value with an offset, parsed by the reader itself. Anything
        // else (escapes, other layouts DateTimeOffset.TryParse accepts, errors) takes the path below, which decides.
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && HasOffset(reader.ValueSpan)
            && reader.TryGetDateTimeOffset(out var fast) && fast.Year is >= 1970 and <= 9999)
        {
            return fast.ToUnixTimeMilliseconds();
        }

        var text = reader.GetString()!;
        // An offset (or Z) is required: a local time would depend on the worker's time zone.
        if (!HasOffset(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            || value.Year < 1970 || value.Year > 9999)
        {
            throw new OrderFormatException($"bad ts: \"{Truncate(text)}\" is not an ISO-8601 timestamp with an offset (e.g. 2026-11-21T10:00:00.123Z)");
        }

        return value.ToUnixTimeMilliseconds();
    }

    private static bool HasOffset(ReadOnlySpan<byte> utf8)
    {
        var t = utf8.IndexOf((byte)'T');
        if (t < 8)
        {
            return false;
        }

        var time = utf8[(t + 1)..];
        return time.EndsWith("Z"u8) || time.EndsWith("z"u8) || time.IndexOfAny((byte)'+', (byte)'-') > 0;
    }

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.Ordinal);
        if (t < 8)
        {
            return false;
        }

        var time = text.AsSpan(t + 1);
        return time.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || time.IndexOfAny('+', '-') > 0;
    }

    private static string Quote(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.String ? $"\"{Text(ref reader)}\"" : Text(ref reader);

    private static string Text(ref Utf8JsonReader reader) => Truncate(reader.TokenType == JsonTokenType.String
        ? reader.GetString()!
        : Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray()));

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "...");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Null => "null",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Number => "a number",
        JsonTokenType.String => "a string",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };
}
