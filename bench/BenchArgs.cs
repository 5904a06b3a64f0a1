using System.Globalization;

namespace Etl.Bench;

/// <summary>The benchmarks' command-line options: <c>--name value</c> pairs after the benchmark's name.</summary>
internal static class BenchArgs
{
    /// <summary>The number after <paramref name="name"/>, or <paramref name="fallback"/> when the option is absent.</summary>
    public static long Number(string[] args, string name, long fallback) =>
        Value(args, name) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static bool Has(string[] args, string name) => Value(args, name) is not null;

    /// <summary>
    /// The comma-separated names after <paramref name="name"/> (all of <paramref name="known"/> when absent); an
    /// unknown one fails, naming the known ones.
    /// </summary>
    public static string[] Names(string[] args, string name, IReadOnlyList<string> known)
    {
        var names = Value(args, name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [.. known];
        var unknown = names.Except(known, StringComparer.Ordinal).ToList();
        return unknown.Count == 0
            ? names
            : throw new ArgumentException($"{name}: unknown {string.Join(", ", unknown)}; known: {string.Join(", ", known)}.");
    }

    private static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
