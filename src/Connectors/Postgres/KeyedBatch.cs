using System.Runtime.InteropServices;

namespace Etl.Connectors.Postgres;

/// <summary>
/// Upsert batches: keeps the last row of each key, as ON CONFLICT cannot touch a row twice in one statement.
/// </summary>
internal sealed class KeyedBatch<T>(PostgresTableMapping<T> table)
{
    private readonly PostgresColumn<T>[] _keys =
        [.. (table.KeyColumns ?? []).Select(k => table.Columns.First(c => c.Name == k))];

    // Reused by every batch (cleared, capacity kept): the dictionary of a 10,000-row batch is on the large object heap,
    // and allocating one per batch adds to the budget whose exhaustion triggers full (gen 2) collections. One flush
    // runs at a time per writer, so one instance serves them all.
    private RowKey<T>? _rowKey;
    private Dictionary<int, int>? _last;

    /// <summary>
    /// The last row of each key of <paramref name="rows"/>, split into rows to write and keys to delete
    /// (<see cref="PostgresTableMapping{T}.Deletes"/>). Each key is in one of them at most, so the two statements
    /// can run in either order and give the result of applying the rows one by one.
    /// </summary>
    public (IReadOnlyList<T> Upserts, IReadOnlyList<T> Deletes) LastPerKeySplit(IReadOnlyList<T> rows)
    {
        var last = LastPerKey(rows);
        if (table.Deletes is not { } deletes)
        {
            return (last, []);
        }

        var upserts = new List<T>(last.Count);
        var deleted = new List<T>();
        foreach (var row in last)
        {
            (deletes(row) ? deleted : upserts).Add(row);
        }

        return (upserts, deleted);
    }

    /// <summary>The rows of <paramref name="rows"/> with each key once (its last row), in their original order.</summary>
    public IReadOnlyList<T> LastPerKey(IReadOnlyList<T> rows)
    {
        if (_keys.Length == 1)
        {
            var keep = _keys[0].LastOfEachValue(rows);
            return keep is null ? rows : [.. rows.Where((_, i) => keep[i])];
        }

        // Keyed by row index, compared by the rows' key values: the entry of a key keeps its first index and
        // ends up holding its last.
        var rowKey = _rowKey ??= new RowKey<T>(_keys);
        var last = _last ??= new Dictionary<int, int>(rows.Count, rowKey);
        rowKey.Rows = rows;
        try
        {
            last.EnsureCapacity(rows.Count);
            // One lookup per row: a key seen before marks its earlier row as superseded and takes this row's index.
            bool[]? superseded = null;
            for (var i = 0; i < rows.Count; i++)
            {
                ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(last, i, out var seen);
                if (seen)
                {
                    (superseded ??= new bool[rows.Count])[index] = true;
                }

                index = i;
            }

            if (superseded is null)
            {
                return rows;
            }

            var kept = new List<T>(last.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                if (!superseded[i])
                {
                    kept.Add(rows[i]);
                }
            }

            return kept;
        }
        finally
        {
            last.Clear();
            rowKey.Rows = [];
        }
    }
}
