using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Etl.Samples.PaymentsLoad;

/// <summary>A payment that passed validation: ids that can be stored as text, a positive amount that is a whole number of
/// the currency's minor units, a known currency and status, and a timestamp with an offset.</summary>
internal sealed partial record Payment(string PaymentId, string Account, decimal Amount, Currency Currency, PaymentStatus Status, DateTimeOffset PaidAt)
{
    private const int MaxIdLength = 100;

    /// <summary>
    /// Parses and validates one record. Throws <see cref="FormatException"/> (or <see cref="JsonException"/> for text that
    /// is not a JSON object) saying what is wrong; the job's <c>Parse</c> step turns that into a dead letter with reason
    /// <c>validation</c> and the message as its error.
    /// </summary>
    public static Payment Parse(string json)
    {
        var message = JsonSerializer.Deserialize(json, PaymentJsonContext.Default.PaymentMessage)
            ?? throw new FormatException("the record is JSON null, not a payment object");
        var code = Required(message.Currency, "currency");
        if (!Currency.TryParse(code, out var currency))
        {
            throw new FormatException($"currency '{code}' is not one of {Currency.KnownCodes}");
        }

        var amount = message.Amount ?? throw new FormatException("amount is missing");
        var amountText = amount.ToString(CultureInfo.InvariantCulture);
        if (amount <= 0)
        {
            throw new FormatException($"amount {amountText} is not positive");
        }

        if (currency.CheckAmount(amount) is { } problem)
        {
            throw new FormatException($"amount {amountText} {problem}");
        }

        return new Payment(
            Id(message.PaymentId, "payment_id"), Id(message.Account, "account"), amount, currency, StatusOf(Required(message.Status, "status")),
            TimeOf(Required(message.Timestamp, "ts")));
    }

    private static string Required(string? value, string field) => value ?? throw new FormatException($"{field} is missing");

    /// <summary>An id goes to a text column: 1-100 characters, none of them a control character (PostgreSQL text cannot hold NUL).</summary>
    private static string Id(string? value, string field)
    {
        var id = Required(value, field);
        return id.Length is 0 or > MaxIdLength || id.Any(char.IsControl)
            ? throw new FormatException($"{field} must be 1-{MaxIdLength} characters without control characters")
            : id;
    }

    private static PaymentStatus StatusOf(string text) => text.ToLowerInvariant() switch
    {
        "authorized" => PaymentStatus.Authorized,
        "captured" => PaymentStatus.Captured,
        "failed" => PaymentStatus.Failed,
        _ => throw new FormatException($"status '{text}' is not authorized, captured or failed"),
    };

    /// <summary>ISO 8601 with <c>Z</c> or an offset: a time without one would be read in the worker's time zone.</summary>
    private static DateTimeOffset TimeOf(string text) =>
        IsoTimestamp().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw new FormatException($"ts '{text}' is not an ISO 8601 time with Z or an offset");

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoTimestamp();
}
