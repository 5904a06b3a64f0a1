using System.Text;

namespace Etl.Connectors.Postgres;

/// <summary>
/// Text made storable in a PostgreSQL <c>text</c> column, in one place. PostgreSQL text cannot hold NUL, and a UTF-8
/// database refuses what does not encode, such as a lone UTF-16 surrogate: either fails the statement, and with it the
/// epoch, on every replay. Raw input belongs in <c>bytea</c>; this is for the human-readable texts written beside it.
/// </summary>
internal static class PostgresText
{
    /// <summary>Longer texts are cut (an error text quoting a huge field must not make a huge row).</summary>
    public const int MaxLength = 4096;

    private const string Cut = "...";

    /// <summary>
    /// <paramref name="text"/> with each NUL written as the six characters <c>\u0000</c>, each lone surrogate as
    /// U+FFFD, cut to <see cref="MaxLength"/> characters; the same instance when nothing needs changing.
    /// </summary>
    public static string Safe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= MaxLength && IsStorable(text))
        {
            return text;
        }

        var safe = new StringBuilder(Math.Min(text.Length, MaxLength) + 16);
        var i = 0;
        for (; i < text.Length && safe.Length < MaxLength - Cut.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                safe.Append("\\u0000");
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                safe.Append(c).Append(text[++i]);
            }
            else
            {
                safe.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        if (i < text.Length)
        {
            safe.Length = Math.Min(safe.Length, MaxLength - Cut.Length);
            if (char.IsHighSurrogate(safe[^1]))
            {
                safe.Length--;
            }

            safe.Append(Cut);
        }

        return safe.ToString();
    }

    /// <summary>Whether PostgreSQL can store <paramref name="text"/> as it is: no NUL, no lone surrogate.</summary>
    public static bool IsStorable(ReadOnlySpan<char> text)
    {
        if (text.Contains('\0'))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
