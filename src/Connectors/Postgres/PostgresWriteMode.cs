namespace Etl.Connectors.Postgres;

/// <summary>How the sink writes rows into the target table.</summary>
public enum PostgresWriteMode
{
    /// <summary>Plain inserts (binary COPY): for tables where a row is never written twice.</summary>
    Insert,

    /// <summary>
    /// <c>INSERT ... ON CONFLICT (keys) DO UPDATE</c>: the last write of a key wins, so late firings and
    /// replays are safe.
    /// </summary>
    Upsert,

}
