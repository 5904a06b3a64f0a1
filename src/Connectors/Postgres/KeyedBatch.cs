using Npgsql;

namespace Etl.Connectors.Postgres;

/// <summary>
/// Batches of the keyed modes: keeps the last row of each key (ON CONFLICT cannot touch a row twice in one
/// statement, COPY would break the unique key) and, for <see cref="PostgresWriteMode.Replace"/>, deletes
/// the batch's keys from the target before the COPY.
/// </summary>
internal sealed class KeyedBatch<T>(PostgresTableMapping<T> table)
{
    private readonly PostgresColumn<T>[] _keys =
        [.. (table.KeyColumns ?? []).Select(k => table.Columns.First(c => c.Name == k))];

    private readonly string _deleteSql = DeleteSql(table);

    /// <summary>The rows of <paramref name="rows"/> with each key once (its last row), in their original order.</summary>
    public IReadOnlyList<T> LastPerKey(IReadOnlyList<T> rows)
    {
        if (_keys.Length == 1)
        {
            var keep = _keys[0].LastOfEachValue(rows);
            return keep is null ? rows : [.. rows.Where((_, i) => keep[i])];
        }

        var last = new Dictionary<RowKey, int>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            last[KeyOf(rows[i])] = i;
        }

        if (last.Count == rows.Count)
        {
            return rows;
        }

        var kept = new List<T>(last.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (last[KeyOf(rows[i])] == i)
            {
                kept.Add(rows[i]);
            }
        }

        return kept;
    }

    public async Task DeleteKeysAsync(NpgsqlConnection connection, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_deleteSql, connection);
        for (var k = 0; k < _keys.Length; k++)
        {
            command.Parameters.Add(_keys[k].ToArrayParameter($"k{k}", rows));
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string DeleteSql(PostgresTableMapping<T> table)
    {
        var keys = table.KeyColumns ?? [];
        if (keys.Count == 1)
        {
            return $"DELETE FROM {table.Table} WHERE {keys[0]} = ANY(@k0)";
        }

        var names = string.Join(", ", keys);
        var parameters = string.Join(", ", keys.Select((_, i) => $"@k{i}"));
        var join = string.Join(" AND ", keys.Select(k => $"t.{k} = u.{k}"));
        return $"DELETE FROM {table.Table} t USING unnest({parameters}) AS u({names}) WHERE {join}";
    }

    private RowKey KeyOf(T row)
    {
        var values = new object?[_keys.Length];
        for (var k = 0; k < values.Length; k++)
        {
            values[k] = _keys[k].ValueOf(row);
        }

        return new RowKey(values);
    }
}
