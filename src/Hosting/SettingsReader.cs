using System.Globalization;
using Etl.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace Etl.Hosting;

/// <summary>
/// Reads settings from configuration the way every Etl setting is written (durations like <c>500ms</c> or
/// <c>5min</c>, enums like <c>exactly-once</c>) and collects every problem, each naming its key
/// (<c>Etl:Window:Size: '5x' is not a duration ...</c>), so that a bad start-up reports everything that is
/// wrong at once (exit code 2). The host reads its own settings with it; a job reads its settings from the
/// <see cref="JobContext.Settings"/> it is given, and adds library validation with <see cref="Check"/>.
/// A read that fails returns the fallback and records the problem.
/// </summary>
public sealed class SettingsReader
{
    private readonly List<string> _problems = [];

    /// <summary>Reads <paramref name="configuration"/> (the whole configuration, keys like <c>Etl:JobName</c>).</summary>
    public SettingsReader(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
    }

    /// <summary>The configuration read from.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Every problem found so far, each <c>Key: message.</c></summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The trimmed text at <paramref name="key"/>, or <paramref name="fallback"/> when absent.</summary>
    public string Text(string key, string fallback) => Configuration[key] is { } value ? value.Trim() : fallback;

    /// <summary>A whole number.</summary>
    public int WholeNumber(string key, int fallback)
    {
        var text = Configuration[key];
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : Problem(key, $"'{text}' is not a whole number", fallback);
    }

    /// <summary><c>true</c>/<c>false</c> (also <c>1</c>/<c>0</c>, <c>yes</c>/<c>no</c>, <c>on</c>/<c>off</c>).</summary>
    public bool Bool(string key, bool fallback)
    {
        var text = Configuration[key];
        if (text is null)
        {
            return fallback;
        }

        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => Problem(key, $"'{text}' is not true or false", fallback),
        };
    }

    /// <summary>A duration: <c>500ms</c>, <c>10s</c>, <c>5min</c>, <c>1h</c>, <c>1d</c>, <c>00:01:00</c> or plain milliseconds.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        var text = Configuration[key];
        if (text is null)
        {
            return fallback;
        }

        return SettingParsers.TryParseDuration(text, out var value)
            ? value
            : Problem(key, $"'{text}' is not a duration (examples: 500ms, 10s, 5min, 1h, 00:01:00)", fallback);
    }

    /// <summary>A duration, or null when absent, empty or <c>none</c>.</summary>
    public TimeSpan? OptionalDuration(string key)
    {
        var text = Configuration[key];
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return SettingParsers.TryParseDuration(text, out var value)
            ? value
            : Problem<TimeSpan?>(key, $"'{text}' is not a duration (examples: 500ms, 10s, 5min) or none", null);
    }

    /// <summary>An enum value written <c>exactly-once</c>, <c>EXACTLY_ONCE</c> or <c>ExactlyOnce</c>.</summary>
    public TEnum Enum<TEnum>(string key, TEnum fallback)
        where TEnum : struct, Enum
    {
        var text = Configuration[key];
        if (text is null)
        {
            return fallback;
        }

        if (SettingParsers.TryParseEnum<TEnum>(text, out var value))
        {
            return value;
        }

        var allowed = string.Join(", ", System.Enum.GetValues<TEnum>().Select(SettingParsers.Kebab));
        return Problem(key, $"'{text}' is not one of {allowed}", fallback);
    }

    /// <summary>
    /// Runs a library's own validation (an options record's <c>Validate()</c>, a constructor) and reports the
    /// <see cref="ArgumentException"/> it throws under a configuration key: the rule stays in the library, the
    /// report names the setting. A message that starts with one of the <paramref name="names"/>' option names (for
    /// example <c>KafkaSourceOptions.Watermarks.Interval</c>) is reported under that name's key, without the name;
    /// any other under <paramref name="key"/>.
    /// </summary>
    public void Check(string key, Action validate, params (string Option, string Key)[] names)
    {
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(names);
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            // ArgumentException appends " (Parameter 'x')" to Message; the setting's key says where.
            var message = e.Message.Split(" (Parameter '", 2)[0].TrimEnd('.');
            var name = names.Where(n => message.StartsWith(n.Option + " ", StringComparison.Ordinal)).OrderByDescending(n => n.Option.Length).FirstOrDefault();
            _ = name.Option is null
                ? Problem(key, message, 0)
                : Problem(name.Key, message[(name.Option.Length + 1)..], 0);
        }
    }

    /// <summary>Records a problem with <paramref name="key"/> and returns <paramref name="fallback"/>.</summary>
    public T Problem<T>(string key, string message, T fallback)
    {
        _problems.Add($"{key}: {message}.");
        return fallback;
    }

    /// <summary>The Flink-style spelling of an enum value (<c>ExactlyOnce</c> → <c>exactly-once</c>), for logs and messages.</summary>
    public static string Kebab<TEnum>(TEnum value)
        where TEnum : struct, Enum => SettingParsers.Kebab(value);

    /// <summary>Formats a duration the way <see cref="Duration"/> reads it (<c>5min</c>, <c>500ms</c>).</summary>
    public static string FormatDuration(TimeSpan value) => SettingParsers.FormatDuration(value);
}
