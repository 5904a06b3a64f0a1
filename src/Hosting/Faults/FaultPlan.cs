using System.Globalization;
using Etl.Hosting.Configuration;
using Etl.Pipeline.Faults;

namespace Etl.Hosting.Faults;

/// <summary>
/// What ETL_FAULT asks for: <c>POINT[:N]</c>, for example <c>after-prepare</c> or <c>after-metadata-before-notify:3</c>
/// (kill the N-th time the point is reached; default the first).
/// </summary>
internal sealed record FaultPlan(FaultPoint Point, int Occurrence)
{
    public const string Variable = "ETL_FAULT";

    /// <summary>Null when <paramref name="text"/> is empty; throws <see cref="ArgumentException"/> when it is not a plan.</summary>
    public static FaultPlan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Trim().Split(':');
        var occurrence = 1;
        if (parts.Length > 2 || !SettingParsers.TryParseEnum<FaultPoint>(parts[0], out var point)
            || (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out occurrence) || occurrence < 1)))
        {
            var points = string.Join(", ", Enum.GetValues<FaultPoint>().Select(SettingParsers.Kebab));
            throw new ArgumentException($"'{text}' is not a fault plan; use POINT or POINT:N with POINT one of {points} and N >= 1.", nameof(text));
        }

        return new FaultPlan(point, occurrence);
    }
}
