using System.Collections.Frozen;

namespace Etl.Samples.PaymentsLoad;

/// <summary>An ISO 4217 currency the load accepts, with the number of digits of its minor unit (cents: 2; yen: 0; dinar: 3).</summary>
internal readonly record struct Currency(string Code, int MinorDigits)
{
    /// <summary>The largest amount in minor units a payment may have: 10^15 (ten trillion dollars in cents) fits a bigint with room.</summary>
    public const long MaxMinorUnits = 1_000_000_000_000_000;

    private static readonly FrozenDictionary<string, Currency> Known = new Currency[]
    {
        new("CHF", 2), new("EUR", 2), new("GBP", 2), new("JPY", 0), new("KWD", 3), new("SEK", 2), new("USD", 2),
    }.ToFrozenDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>The currency of a code in any case (<c>eur</c>, <c>EUR</c>); false for a code the load does not know.</summary>
    public static bool TryParse(string code, out Currency currency) => Known.TryGetValue(code.Trim(), out currency);

    /// <summary>The codes accepted, for messages.</summary>
    public static string KnownCodes => string.Join(", ", Known.Keys.Order(StringComparer.Ordinal));

    /// <summary>
    /// Null when <paramref name="amount"/> (positive) can be stored in minor units: a whole number of them (12.34 EUR, not
    /// 12.345 EUR or 1.5 JPY) and at most <see cref="MaxMinorUnits"/>; otherwise what is wrong.
    /// </summary>
    public string? CheckAmount(decimal amount) =>
        decimal.Round(amount, MinorDigits) != amount ? $"has more than {MinorDigits} decimals for {Code}"
        : amount > MaxMinorUnits / Scale ? $"is more than {MaxMinorUnits} {Code} minor units"
        : null;

    /// <summary>The amount in minor units; <see cref="CheckAmount"/> accepted it.</summary>
    public long ToMinorUnits(decimal amount) => (long)(amount * Scale);

    private decimal Scale => Powers[MinorDigits];

    private static readonly decimal[] Powers = [1m, 10m, 100m, 1000m];
}
