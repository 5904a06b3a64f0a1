using System.Text.Json.Serialization;

namespace Etl.Samples.PaymentsLoad;

/// <summary>
/// A payment as it arrives on the topic, one JSON object per record:
/// <c>{"payment_id": "p-1", "account": "acc-7", "amount": "12.34", "currency": "eur", "status": "captured", "ts": "2026-11-21T10:00:00Z"}</c>.
/// Every field is nullable so that a missing one is reported by name (<see cref="Payment.Parse"/>); unknown fields are skipped.
/// </summary>
internal sealed record PaymentMessage(
    [property: JsonPropertyName("payment_id")] string? PaymentId,
    [property: JsonPropertyName("account")] string? Account,
    [property: JsonPropertyName("amount")] decimal? Amount,
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("ts")] string? Timestamp);

/// <summary>System.Text.Json source generation for <see cref="PaymentMessage"/>: an amount may be a JSON number or a decimal string.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(PaymentMessage))]
internal sealed partial class PaymentJsonContext : JsonSerializerContext;
