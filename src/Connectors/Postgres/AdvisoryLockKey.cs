using System.Text;

namespace Etl.Connectors.Postgres;

/// <summary>
/// The 64-bit key of the session advisory lock that fences one sink subtask: FNV-1a over the UTF-8 of
/// <c>etl:{job}:{sink}:{subtask}</c>, the same in every process (string.GetHashCode is not).
/// </summary>
internal static class AdvisoryLockKey
{
    public static long Of(string job, string sink, int subtask)
    {
        const ulong Offset = 14695981039346656037;
        const ulong Prime = 1099511628211;
        var hash = Offset;
        foreach (var b in Encoding.UTF8.GetBytes($"etl:{job}:{sink}:{subtask}"))
        {
            hash ^= b;
            hash *= Prime;
        }

        return unchecked((long)hash);
    }
}
