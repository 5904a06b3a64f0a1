using Npgsql;

namespace Etl.Connectors.Postgres;

/// <summary>
/// The sink's own tables in <see cref="Schema"/>: commit markers, dead letters, and the staging table of
/// epochs prepared while an earlier one was still pending (see <see cref="StagedEpochs{T}"/>).
/// </summary>
internal sealed class PostgresSinkTables(string schema, string job, string sink)
{
    // Any fixed key: serialises concurrent CREATE ... IF NOT EXISTS of several subtasks, which can otherwise
    // fail with a unique violation in the catalog.
    private const long DdlLockKey = 0x65746c5f64646c;

    public string Schema { get; } = schema;

    public string Markers => $"{Schema}.sink_commits";

    public string DeadLetters => $"{Schema}.dead_letters";

    /// <summary>One staging table per job and sink; the name is a hash because names may not be identifiers.</summary>
    public string Stage => $"{Schema}.stage_{(ulong)AdvisoryLockKey.ForSinkSubtask(job, sink, -1):x16}";

    /// <summary>The keys that staged epochs delete (<see cref="PostgresTableMapping{T}.Deletes"/>), beside <see cref="Stage"/>.</summary>
    public string StageDeletes => $"{Stage}_deletes";

    /// <remarks>
    /// The staging table copies the target's columns, defaults, NOT NULL and CHECK constraints, so that a
    /// row breaking them fails its epoch before PREPARE, as a direct write would. Unique, foreign-key and
    /// exclusion constraints cannot be checked there; such a violation surfaces when the committed staged
    /// rows move, and the job then fails until the table is fixed (the rows wait in staging, not lost).
    /// </remarks>
    /// <param name="deleteKeys">The key columns when the sink deletes keys: then the staging table of deletes is made too.</param>
    public async Task CreateIfMissingAsync(
        NpgsqlConnection connection, string targetTable, IReadOnlyList<string>? deleteKeys, CancellationToken cancellationToken)
    {
        // A separate table rather than a column of the staging table: adding a column to an existing staging table
        // would wait for pending transactions that staged rows in it.
        var deletes = deleteKeys is null ? "" : $"""
                IF to_regclass('{StageDeletes}') IS NULL THEN
                    CREATE TABLE {StageDeletes} AS SELECT {string.Join(", ", deleteKeys)} FROM {targetTable} WITH NO DATA;
                    ALTER TABLE {StageDeletes} ADD COLUMN etl_subtask int NOT NULL DEFAULT 0,
                        ADD COLUMN etl_checkpoint bigint NOT NULL DEFAULT 0,
                        ADD COLUMN etl_ord bigint NOT NULL DEFAULT 0;
                END IF;
            """;
        var sql = $"""
            BEGIN;
            SELECT pg_advisory_xact_lock({DdlLockKey});
            CREATE SCHEMA IF NOT EXISTS {Schema};
            CREATE TABLE IF NOT EXISTS {Markers} (
                gid text PRIMARY KEY,
                job text NOT NULL,
                sink text NOT NULL,
                subtask int NOT NULL,
                checkpoint_id bigint NOT NULL,
                written_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE IF NOT EXISTS {DeadLetters} (
                id bigserial PRIMARY KEY,
                job text NOT NULL,
                sink text NOT NULL,
                source_topic text,
                source_partition int,
                source_offset bigint,
                key bytea,
                raw_value bytea,
                reason text NOT NULL,
                error text NOT NULL,
                event_time timestamptz NOT NULL,
                written_at timestamptz NOT NULL DEFAULT now());
            DO $$
            BEGIN
                -- Only when missing: ALTER TABLE would wait for pending transactions that staged rows.
                IF to_regclass('{Stage}') IS NULL THEN
                    CREATE TABLE {Stage} (LIKE {targetTable} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
                    ALTER TABLE {Stage} ADD COLUMN etl_subtask int NOT NULL DEFAULT 0,
                        ADD COLUMN etl_checkpoint bigint NOT NULL DEFAULT 0,
                        ADD COLUMN etl_ord bigint NOT NULL DEFAULT 0;
                END IF;
            {deletes}
            END $$;
            COMMIT;
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
