namespace Etl.Connectors.Postgres;

/// <summary>
/// Compares rows of one batch, named by their index, by their key columns' values, typed: no boxed key per row.
/// A batch must hold each key once.
/// </summary>
internal sealed class RowKey<T>(PostgresColumn<T>[] keys, IReadOnlyList<T> rows) : IEqualityComparer<int>
{
    public bool Equals(int x, int y)
    {
        foreach (var key in keys)
        {
            if (!key.SameValue(rows[x], rows[y]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(int obj)
    {
        var hash = default(HashCode);
        foreach (var key in keys)
        {
            hash.Add(key.HashOf(rows[obj]));
        }

        return hash.ToHashCode();
    }
}
