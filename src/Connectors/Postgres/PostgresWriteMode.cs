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

    /// <summary>
    /// Whole-row replacement by key: per batch, <c>DELETE</c> the batch's keys, then binary <c>COPY</c> the
    /// batch (the last row of a key wins). Much faster than <see cref="Upsert"/> for new keys, but columns
    /// not in the mapping get their defaults again, delete triggers fire, and <c>ON DELETE</c> actions of
    /// foreign keys that reference the table run: use it only for plain result tables.
    /// </summary>
    Replace,
}
