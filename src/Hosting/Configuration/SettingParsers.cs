using System.Globalization;

namespace Etl.Hosting.Configuration;

/// <summary>Parses setting values written the way Flink writes them: durations like <c>500ms</c>, enums like <c>exactly-once</c>.</summary>
internal static class SettingParsers
{
    /// <summary><c>500ms</c>, <c>10s</c>, <c>5 min</c>, <c>2h</c>, <c>1d</c>, <c>hh:mm:ss</c>, or a plain number of milliseconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        if (s.Length == 0)
        {
            return false;
        }

        if (s.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value);
        }

        var split = 0;
        while (split < s.Length && (char.IsAsciiDigit(s[split]) || s[split] == '.' || (split == 0 && s[split] == '-')))
        {
            split++;
        }

        if (!decimal.TryParse(s.AsSpan(0, split), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        decimal? ms = s[split..].Trim().ToLowerInvariant() switch
        {
            "" or "ms" or "milli" or "millis" or "milliseconds" => number,
            "s" or "sec" or "secs" or "second" or "seconds" => number * 1_000,
            "m" or "min" or "mins" or "minute" or "minutes" => number * 60_000,
            "h" or "hour" or "hours" => number * 3_600_000,
            "d" or "day" or "days" => number * 86_400_000,
            _ => null,
        };
        if (ms is not { } total || total != decimal.Truncate(total) || decimal.Abs(total) > (decimal)TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds((long)total);
        return true;
    }

    /// <summary>Formats a duration the way <see cref="TryParseDuration"/> reads it (for docs and logs).</summary>
    public static string FormatDuration(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        return ms == 0 ? "0"
            : ms % 86_400_000 == 0 ? $"{ms / 86_400_000}d"
            : ms % 3_600_000 == 0 ? $"{ms / 3_600_000}h"
            : ms % 60_000 == 0 ? $"{ms / 60_000}min"
            : ms % 1_000 == 0 ? $"{ms / 1_000}s"
            : $"{ms}ms";
    }

    /// <summary>Enum names case-insensitively, with '-' and '_' ignored: <c>exactly-once</c>, <c>EXACTLY_ONCE</c>, <c>ExactlyOnce</c>.</summary>
    public static bool TryParseEnum<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        var normalised = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return Enum.TryParse(normalised, ignoreCase: true, out value) && Enum.IsDefined(value)
            && !long.TryParse(normalised, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>The Flink-style spelling of an enum value: <c>ExactlyOnce</c> → <c>exactly-once</c>.</summary>
    public static string Kebab<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var chars = new List<char>(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                chars.Add('-');
            }

            chars.Add(char.ToLowerInvariant(name[i]));
        }

        return new string([.. chars]);
    }
}
