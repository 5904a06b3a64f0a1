using Etl.Pipeline.State;
using Npgsql;
using NpgsqlTypes;

namespace Etl.Connectors.Postgres;

/// <summary>
/// Epochs the writer had to send while an earlier epoch was still pending (barrier n+1 before n committed,
/// for example after checkpoint n was aborted). Their rows go into a staging table that no pending
/// transaction locks, inside the epoch's prepared transaction; once it commits, one autocommit statement
/// moves them into the target (<c>DELETE .. RETURNING</c> feeding the insert or upsert), which is
/// idempotent: a crash before it leaves committed staged rows that recovery moves. Deleted keys
/// (<see cref="PostgresTableMapping{T}.Deletes"/>) are staged in a table of their own with the same ordinals, and the
/// move applies, per key, whichever of the staged rows and deletes came last.
/// </summary>
internal sealed class StagedEpochs<T>(PostgresTableMapping<T> table, PostgresSinkTables tables)
{
    private readonly string _columns = string.Join(", ", table.Columns.Select(c => c.Name));

    private readonly PostgresColumn<T>[] _keys = [.. (table.KeyColumns ?? []).Select(k => table.Columns.First(c => c.Name == k))];

    public string CopySql => $"COPY {tables.Stage} ({_columns}, etl_subtask, etl_checkpoint, etl_ord) FROM STDIN (FORMAT BINARY)";

    private string CopyDeletesSql =>
        $"COPY {tables.StageDeletes} ({string.Join(", ", table.KeyColumns ?? [])}, etl_subtask, etl_checkpoint, etl_ord) FROM STDIN (FORMAT BINARY)";

    /// <summary>Stages <paramref name="rows"/>; the i-th gets ordinal <paramref name="firstOrdinal"/> + i, deletes included.</summary>
    public async Task WriteAsync(
        NpgsqlConnection connection, IReadOnlyList<T> rows, int subtask, long checkpointId, long firstOrdinal, CancellationToken cancellationToken)
    {
        var written = new List<(T Row, long Ordinal)>(rows.Count);
        var deleted = new List<(T Row, long Ordinal)>();
        for (var i = 0; i < rows.Count; i++)
        {
            (table.Deletes?.Invoke(rows[i]) == true ? deleted : written).Add((rows[i], firstOrdinal + i));
        }

        await CopyAsync(connection, CopySql, table.Columns, written, subtask, checkpointId, cancellationToken);
        await CopyAsync(connection, CopyDeletesSql, _keys, deleted, subtask, checkpointId, cancellationToken);
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, string sql, IReadOnlyList<PostgresColumn<T>> columns, List<(T Row, long Ordinal)> rows,
        int subtask, long checkpointId, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var importer = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        foreach (var (row, ordinal) in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                await column.WriteAsync(importer, row, cancellationToken);
            }

            await importer.WriteAsync(subtask, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(checkpointId, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(ordinal, NpgsqlDbType.Bigint, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Moves every committed staged row this subtask owns (<see cref="SubtaskOwnership"/>: its own index, and old indexes
    /// left by a run with more subtasks) into the target, oldest epoch first.
    /// </summary>
    public async Task<int> ApplyAsync(NpgsqlConnection connection, int subtask, int parallelism, CancellationToken cancellationToken)
    {
        var keys = string.Join(", ", table.KeyColumns ?? []);
        const string Owned = "etl_subtask = ANY(@owned)";
        var owned = await OwnedIndexesAsync(connection, subtask, parallelism, cancellationToken);
        var moved = $"WITH moved AS (DELETE FROM {tables.Stage} WHERE {Owned} RETURNING *) ";
        string sql;
        if (table.Mode == PostgresWriteMode.Insert)
        {
            sql = moved + $"INSERT INTO {table.Table} ({_columns}) SELECT {_columns} FROM moved ORDER BY etl_checkpoint, etl_ord";
        }
        else if (table.Deletes is null)
        {
            sql = moved + $"INSERT INTO {table.Table} ({_columns}) SELECT DISTINCT ON ({keys}) {_columns} FROM moved " +
                $"ORDER BY {keys}, etl_checkpoint DESC, etl_ord DESC {UpsertClause.Of(table)}";
        }
        else
        {
            // Per key, the last of the staged rows and deletes wins (checkpoint, then ordinal). The two writes to the
            // target touch different keys, so that they share one snapshot does not matter.
            var keyList = table.KeyColumns ?? [];
            string Qualified(string alias) => string.Join(", ", keyList.Select(k => $"{alias}.{k}"));
            string Match(string a, string b) => string.Join(" AND ", keyList.Select(k => $"{a}.{k} = {b}.{k}"));
            sql = moved +
                $", gone AS (DELETE FROM {tables.StageDeletes} WHERE {Owned} RETURNING *), " +
                $"latest AS (SELECT DISTINCT ON ({keys}) {keys}, etl_delete FROM (" +
                $"SELECT {keys}, etl_checkpoint, etl_ord, false AS etl_delete FROM moved UNION ALL " +
                $"SELECT {keys}, etl_checkpoint, etl_ord, true FROM gone) ops ORDER BY {keys}, etl_checkpoint DESC, etl_ord DESC), " +
                $"deleted AS (DELETE FROM {table.Table} t USING latest l WHERE l.etl_delete AND {Match("t", "l")}) " +
                $"INSERT INTO {table.Table} ({_columns}) SELECT DISTINCT ON ({Qualified("m")}) {string.Join(", ", table.Columns.Select(c => $"m.{c.Name}"))} " +
                $"FROM moved m JOIN latest l ON {Match("m", "l")} AND NOT l.etl_delete " +
                $"ORDER BY {Qualified("m")}, m.etl_checkpoint DESC, m.etl_ord DESC {UpsertClause.Of(table)}";
        }

        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("owned", owned);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// This subtask's own index and the old indexes in staging that it owns. Only a run with more subtasks left other
    /// indexes behind; rows staged from now on carry a current index, so none of this subtask's is missed.
    /// </summary>
    private async Task<int[]> OwnedIndexesAsync(NpgsqlConnection connection, int subtask, int parallelism, CancellationToken cancellationToken)
    {
        var sql = $"SELECT DISTINCT etl_subtask FROM {tables.Stage} WHERE etl_subtask >= @parallelism" +
            (table.Deletes is null ? "" : $" UNION SELECT DISTINCT etl_subtask FROM {tables.StageDeletes} WHERE etl_subtask >= @parallelism");
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("parallelism", parallelism);
        var owned = new List<int> { subtask };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var index = reader.GetInt32(0);
            if (SubtaskOwnership.Owns(subtask, index, parallelism))
            {
                owned.Add(index);
            }
        }

        return [.. owned];
    }
}
