using System.Text;

namespace Etl.Worker.Metrics;

/// <summary>
/// Prometheus names for System.Diagnostics.Metrics instruments, the way OpenTelemetry's Prometheus exporter
/// spells them: dots to underscores, the unit as a suffix (ms → milliseconds, By → bytes, s → seconds;
/// annotations like {record} are dropped), counters end in _total.
/// </summary>
internal static class PrometheusNames
{
    public static string Metric(string instrumentName, string? unit, MetricType type)
    {
        ArgumentNullException.ThrowIfNull(instrumentName);
        var name = Sanitize(instrumentName, allowColon: true);
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        if (type == MetricType.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    public static string Label(string key) => Sanitize(key, allowColon: false);

    /// <summary>Escapes a label value: backslash, double quote and newline.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Escapes HELP text: backslash and newline.</summary>
    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => "",
        "ms" => "milliseconds",
        "s" => "seconds",
        "By" => "bytes",
        _ when unit.StartsWith('{') => "",
        _ => Sanitize(unit, allowColon: false).Trim('_'),
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            builder.Append(ok ? c : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
