namespace Etl.Connectors.Kafka;

/// <summary>Which librdkafka a process loads: the bundled build (default), the system's, or a given file.</summary>
internal sealed record KafkaNativeLibraryChoice(KafkaNativeLibraryKind Kind, string? Path = null)
{
    public static readonly KafkaNativeLibraryChoice Bundled = new(KafkaNativeLibraryKind.Bundled);

    public static readonly KafkaNativeLibraryChoice System = new(KafkaNativeLibraryKind.System);

    /// <summary>Parses <c>bundled</c>, <c>system</c> or an absolute path to a librdkafka shared library.</summary>
    public static bool TryParse(string? text, out KafkaNativeLibraryChoice choice)
    {
        choice = Bundled;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Equals("bundled", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("system", StringComparison.OrdinalIgnoreCase))
        {
            choice = System;
            return true;
        }

        if (global::System.IO.Path.IsPathFullyQualified(value))
        {
            choice = new KafkaNativeLibraryChoice(KafkaNativeLibraryKind.File, value);
            return true;
        }

        return false;
    }

    public override string ToString() => Kind switch
    {
        KafkaNativeLibraryKind.Bundled => "bundled",
        KafkaNativeLibraryKind.System => "system",
        _ => Path!,
    };
}
