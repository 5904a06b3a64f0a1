namespace Etl.Connectors.Postgres;

/// <summary>
/// Upsert batches: keeps the last row of each key, as ON CONFLICT cannot touch a row twice in one statement.
/// </summary>
internal sealed class KeyedBatch<T>(PostgresTableMapping<T> table)
{
    private readonly PostgresColumn<T>[] _keys =
        [.. (table.KeyColumns ?? []).Select(k => table.Columns.First(c => c.Name == k))];

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
