namespace Etl.Connectors.Kafka;

/// <summary>Which librdkafka a process loads: the bundled build (default), the system's, or a given file.</summary>
public sealed record KafkaNativeLibraryChoice(KafkaNativeLibraryKind Kind, string? Path = null)
{
    /// <summary>The build bundled by the librdkafka.redist package (the default).</summary>
    public static readonly KafkaNativeLibraryChoice Bundled = new(KafkaNativeLibraryKind.Bundled);

    /// <summary>The machine's <c>librdkafka.so.1</c>.</summary>
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

    /// <summary><c>bundled</c>, <c>system</c> or the path, as <see cref="TryParse"/> reads it.</summary>
    public override string ToString() => Kind switch
    {
        KafkaNativeLibraryKind.Bundled => "bundled",
        KafkaNativeLibraryKind.System => "system",
        _ => Path!,
    };
}
