using System.Text;

namespace Etl.Connectors.Postgres;

/// <summary>
/// The 64-bit keys of PostgreSQL session advisory locks that fence Etl's owners: FNV-1a over the UTF-8 of a
/// name, the same in every process (string.GetHashCode is not). One rule for every lock: a sink subtask's
/// (<see cref="ForSinkSubtask"/>) and a job's (<see cref="ForJob"/>, the host's one-live-worker lock).
/// </summary>
public static class AdvisoryLockKey
{
    /// <summary>The lock of one sink subtask: <c>etl:{job}:{sink}:{subtask}</c>.</summary>
    public static long ForSinkSubtask(string job, string sink, int subtask) => Of($"etl:{job}:{sink}:{subtask}");

    /// <summary>The lock one live worker of a job holds: <c>etl-worker:{job}</c>.</summary>
    public static long ForJob(string job) => Of($"etl-worker:{job}");

    private static long Of(string name)
    {
        const ulong Offset = 14695981039346656037;
        const ulong Prime = 1099511628211;
        var hash = Offset;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash ^= b;
            hash *= Prime;
        }

        return unchecked((long)hash);
    }
}
