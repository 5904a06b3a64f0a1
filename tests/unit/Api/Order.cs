using System.Globalization;

namespace Etl.Tests.Unit.Api;

/// <summary>A parsed input line <c>customer,amount</c>.</summary>
public sealed record Order(string Customer, decimal Amount)
{
    public static Order Parse(string line)
    {
        var parts = line.Split(',');
        return parts.Length == 2 && decimal.TryParse(parts[1], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? new Order(parts[0], amount)
            : throw new FormatException($"'{line}' is not 'customer,amount'.");
    }
}
