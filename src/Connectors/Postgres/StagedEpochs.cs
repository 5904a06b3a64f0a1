using Npgsql;
using NpgsqlTypes;

namespace Etl.Connectors.Postgres;

/// <summary>
/// Epochs the writer had to send while an earlier epoch was still pending (barrier n+1 before n committed,
/// for example after checkpoint n was aborted). Their rows go into a staging table that no pending
/// transaction locks, inside the epoch's prepared transaction; once it commits, one autocommit statement
/// moves them into the target (<c>DELETE .. RETURNING</c> feeding the insert or upsert), which is
/// idempotent: a crash before it leaves committed staged rows that recovery moves.
/// </summary>
internal sealed class StagedEpochs<T>(PostgresTableMapping<T> table, PostgresSinkTables tables)
{
    private readonly string _columns = string.Join(", ", table.Columns.Select(c => c.Name));

    public string CopySql => $"COPY {tables.Stage} ({_columns}, etl_subtask, etl_checkpoint, etl_ord) FROM STDIN (FORMAT BINARY)";

    public async Task WriteAsync(
        NpgsqlConnection connection, IReadOnlyList<T> rows, int subtask, long checkpointId, long firstOrdinal, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
        var ordinal = firstOrdinal;
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in table.Columns)
            {
                await column.WriteAsync(importer, row, cancellationToken);
            }

            await importer.WriteAsync(subtask, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(checkpointId, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(ordinal++, NpgsqlDbType.Bigint, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Moves every committed staged row this subtask owns (its own index, or an old index j &gt;= parallelism
    /// with j mod parallelism == subtask) into the target, oldest epoch first.
    /// </summary>
    public async Task<int> ApplyAsync(NpgsqlConnection connection, int subtask, int parallelism, CancellationToken cancellationToken)
    {
        var keys = string.Join(", ", table.KeyColumns ?? []);
        const string Owned = "(etl_subtask = @subtask OR (etl_subtask >= @parallelism AND etl_subtask % @parallelism = @subtask))";
        var moved = $"WITH moved AS (DELETE FROM {tables.Stage} WHERE {Owned} RETURNING *) ";
        string sql;
        if (table.Mode == PostgresWriteMode.Insert)
        {
            sql = moved + $"INSERT INTO {table.Table} ({_columns}) SELECT {_columns} FROM moved ORDER BY etl_checkpoint, etl_ord";
        }
        else
        {
            var updates = table.Columns.Where(c => !(table.KeyColumns ?? []).Contains(c.Name)).Select(c => $"{c.Name} = EXCLUDED.{c.Name}").ToList();
            var action = updates.Count == 0 ? "DO NOTHING" : $"DO UPDATE SET {string.Join(", ", updates)}";
            sql = moved + $"INSERT INTO {table.Table} ({_columns}) SELECT DISTINCT ON ({keys}) {_columns} FROM moved " +
                $"ORDER BY {keys}, etl_checkpoint DESC, etl_ord DESC ON CONFLICT ({keys}) {action}";
        }

        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("subtask", subtask);
        command.Parameters.AddWithValue("parallelism", parallelism);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
