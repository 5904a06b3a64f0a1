using Npgsql;

namespace Etl.Connectors.Postgres;

/// <summary>The sink's own tables in <see cref="Schema"/>: commit markers and dead letters.</summary>
internal sealed class PostgresSinkTables(string schema)
{
    // Any fixed key: serialises concurrent CREATE ... IF NOT EXISTS of several subtasks, which can otherwise
    // fail with a unique violation in the catalog.
    private const long DdlLockKey = 0x65746c5f64646c;

    public string Schema { get; } = schema;

    public string Markers => $"{Schema}.sink_commits";

    public string DeadLetters => $"{Schema}.dead_letters";

    public async Task CreateIfMissingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
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
            COMMIT;
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
