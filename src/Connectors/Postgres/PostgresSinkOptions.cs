namespace Etl.Connectors.Postgres;

/// <summary>Settings of the exactly-once PostgreSQL sink, validated when the sink opens.</summary>
/// <param name="ConnectionString">Npgsql connection string.</param>
/// <param name="JobName">The stable job name; part of every transaction id (no ':' or quotes).</param>
/// <param name="SinkUid">The sink's stable uid; part of every transaction id (no ':' or quotes).</param>
/// <param name="Table">The target table mapping.</param>
public sealed record PostgresSinkOptions<T>(
    string ConnectionString,
    string JobName,
    string SinkUid,
    PostgresTableMapping<T> Table)
{
    /// <summary>
    /// Rows buffered before a flush sends them to the server, and the most rows per statement (an insert-mode COPY, an
    /// upsert, a delete); the COPY of an upsert flush carries the whole flush, so that an epoch's savepoints count flushes.
    /// </summary>
    public int BatchSize { get; init; } = 10_000;

    /// <summary>
    /// Rows held in memory while an earlier epoch waits for its commit (the writer sends nothing to the
    /// server then; see docs/postgres-sink.md). Past this the sink fails rather than grow without bound. Also
    /// the most rows buffered while a flush is in flight; past this the sink waits for that flush.
    /// </summary>
    public int MaxHeldRows { get; init; } = 1_000_000;

    /// <summary>Schema of the sink's own tables (commit markers, dead letters).</summary>
    public string Schema { get; init; } = "etl";

    /// <summary>
    /// How long a write may wait for a row lock before the epoch fails (and the job recovers), instead of
    /// waiting forever on rows a pending prepared transaction holds.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting (the sink also checks when it opens).</summary>
    public void Validate() => PostgresSinkOptionsValidation.Validate(this);
}
