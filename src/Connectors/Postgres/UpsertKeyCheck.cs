using Npgsql;

namespace Etl.Connectors.Postgres;

/// <summary>
/// Start-up check of upsert mode: the target needs a unique, immediate (not deferrable), valid, non-partial index on
/// exactly the key columns (a primary key or unique constraint). ON CONFLICT needs it to find the row to update, and
/// the COPY-first write relies on it to refuse a key that exists: without it, COPY would add a second row.
/// </summary>
internal static class UpsertKeyCheck
{
    private const string Sql = """
        SELECT i.indisunique AND i.indimmediate AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL,
               array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) k JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k)
        FROM pg_index i
        WHERE i.indrelid = @table::regclass
        """;

    public static async Task EnsureAsync<T>(NpgsqlConnection connection, PostgresTableMapping<T> table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        var keys = (table.KeyColumns ?? []).Order(StringComparer.Ordinal).ToList();
        var found = new List<string>();
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("table", table.Table);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var usable = reader.GetBoolean(0);
                var columns = reader.GetFieldValue<string[]>(1).Order(StringComparer.Ordinal).ToList();
                if (usable && columns.SequenceEqual(keys, StringComparer.Ordinal))
                {
                    return;
                }

                found.Add($"({string.Join(", ", columns)}){(usable ? "" : " unusable: not unique, deferrable, partial, on expressions or invalid")}");
            }
        }

        throw new SinkTableMismatchException(
            $"Upsert mode needs a unique, non-deferrable index on exactly ({string.Join(", ", table.KeyColumns ?? [])}) of {table.Table} " +
            $"(a PRIMARY KEY or UNIQUE constraint on those columns), to find the row a key updates; its indexes are " +
            $"{(found.Count == 0 ? "none" : string.Join("; ", found))}. Add one (ALTER TABLE {table.Table} ADD PRIMARY KEY " +
            $"({string.Join(", ", table.KeyColumns ?? [])})) or set PostgresSinkOptions.Table.KeyColumns to the columns of one.");
    }
}
