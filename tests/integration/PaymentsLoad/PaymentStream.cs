using System.Globalization;

namespace Etl.Tests.Integration.PaymentsLoad;

/// <summary>
/// A seeded stream of payment records for the payments-load sample: about 75 % captured payments in every accepted
/// currency (codes in any case, amounts as JSON numbers or strings), 15 % authorized or failed ones, and 10 % records
/// that are not payments, each broken in one of many ways. The expected row of a loaded payment is computed from the
/// generated minor units, independently of the sample's parsing.
/// </summary>
internal static class PaymentStream
{
    private static readonly (string Code, int Digits)[] Currencies = [("USD", 2), ("EUR", 2), ("GBP", 2), ("CHF", 2), ("SEK", 2), ("JPY", 0), ("KWD", 3)];

    private static readonly Func<string, string>[] Breakages =
    [
        id => $"{{\"payment_id\": \"{id}\", \"account\": \"acc-1\", \"amount\": \"12.5", // cut short
        id => $"not json {id}",
        id => $"[\"{id}\"]",
        id => Json(id, "acc-1", "\"12.50\"", "eur", "captured", "2026-11-21T10:00:00Z").Replace("\"amount\": \"12.50\", ", "", StringComparison.Ordinal),
        id => Json(id, "acc-1", "-3.00", "eur", "captured", "2026-11-21T10:00:00Z"),
        id => Json(id, "acc-1", "0", "usd", "captured", "2026-11-21T10:00:00Z"),
        id => Json(id, "acc-1", "\"12.345\"", "EUR", "captured", "2026-11-21T10:00:00Z"),
        id => Json(id, "acc-1", "10.5", "JPY", "captured", "2026-11-21T10:00:00Z"),
        id => Json(id, "acc-1", "\"abc\"", "USD", "captured", "2026-11-21T10:00:00Z"),
        id => Json(id, "acc-1", "5.00", "XYZ", "captured", "2026-11-21T10:00:00Z"),
        id => Json(id, "acc-1", "5.00", "USD", "refunded", "2026-11-21T10:00:00Z"),
        id => Json(id, "acc-1", "5.00", "USD", "captured", "2026-11-21T10:00:00"), // no offset
        id => Json(id, "acc\\u0000nul", "5.00", "USD", "captured", "2026-11-21T10:00:00Z"),
        id => Json(id, "", "5.00", "USD", "captured", "2026-11-21T10:00:00Z"),
        id => Json(id, "acc-1", "99999999999999999", "USD", "captured", "2026-11-21T10:00:00Z"),
    ];

    public static IReadOnlyList<GeneratedPayment> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var payments = new List<GeneratedPayment>(count);
        for (var i = 0; i < count; i++)
        {
            var id = $"p-{seed}-{i}";
            var account = $"acc-{random.Next(50)}";
            var roll = random.NextDouble();
            if (roll < 0.10)
            {
                var json = Breakages[random.Next(Breakages.Length)](id);
                payments.Add(new GeneratedPayment(account, json, PaymentFate.Malformed, id, account, 0, ""));
                continue;
            }

            var (code, digits) = Currencies[random.Next(Currencies.Length)];
            var minor = random.NextInt64(1, 100_000_000);
            var amount = digits == 0 ? minor.ToString(CultureInfo.InvariantCulture) : (minor / Pow10(digits)).ToString("F" + digits, CultureInfo.InvariantCulture);
            var amountJson = random.Next(2) == 0 ? amount : $"\"{amount}\"";
            var written = random.Next(3) switch { 0 => code, 1 => code.ToLowerInvariant(), _ => code[..1] + code[1..].ToLowerInvariant() };
            var captured = roll >= 0.25;
            var status = captured ? "captured" : random.Next(2) == 0 ? "authorized" : "failed";
            var ts = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000 + (i * 1_000L)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            payments.Add(new GeneratedPayment(
                account, Json(id, account, amountJson, written, status, ts), captured ? PaymentFate.Loaded : PaymentFate.Skipped, id, account, minor, code));
        }

        return payments;
    }

    private static decimal Pow10(int digits) => digits switch { 2 => 100m, 3 => 1000m, _ => throw new ArgumentOutOfRangeException(nameof(digits)) };

    private static string Json(string id, string account, string amount, string currency, string status, string ts) =>
        $"{{\"payment_id\": \"{id}\", \"account\": \"{account}\", \"amount\": {amount}, \"currency\": \"{currency}\", \"status\": \"{status}\", \"ts\": \"{ts}\", \"channel\": \"web\"}}";
}
