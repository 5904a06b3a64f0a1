using System.Globalization;
using System.Text;

namespace Etl.Connectors.Postgres;

/// <summary>
/// A prepared transaction's id: <c>etl:{job}:{sink}:{subtask}:{checkpointId}</c>, deterministic so that a
/// restarted job finds its own transactions (DESIGN 4). PostgreSQL requires it under 200 bytes.
/// </summary>
internal readonly record struct TransactionGid(string Job, string Sink, int Subtask, long CheckpointId)
{
    public const int MaxBytes = 199;
    public const int MaxNameBytes = 80;
    private const string Prefix = "etl:";

    /// <summary>The LIKE pattern of every gid of one job and sink (may over-match on '_'; parse to be sure).</summary>
    public static string LikePatternOf(string job, string sink) => $"{Prefix}{job}:{sink}:%";

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Job}:{Sink}:{Subtask}:{CheckpointId}");

    public static bool TryParse(string gid, out TransactionGid parsed)
    {
        parsed = default;
        if (!gid.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = gid[Prefix.Length..].Split(':');
        if (parts.Length != 4
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var subtask)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var checkpointId))
        {
            return false;
        }

        parsed = new TransactionGid(parts[0], parts[1], subtask, checkpointId);
        return true;
    }

    /// <summary>Null when <paramref name="value"/> may be part of a gid; else what is wrong with it.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "must not be empty";
        }

        if (value.IndexOfAny([':', '\'', '"', '\\', '%']) >= 0 || value.Any(char.IsControl))
        {
            return $"'{value}' contains ':', a quote, '\\', '%' or a control character, which transaction ids cannot carry";
        }

        // Two names of at most 80 bytes, the prefix, three ':' and at most 10 + 19 digits stay under 200 bytes.
        return Encoding.UTF8.GetByteCount(value) > MaxNameBytes
            ? $"'{value}' is longer than {MaxNameBytes} bytes, too long for a transaction id (PostgreSQL gids are under 200 bytes)"
            : null;
    }
}
