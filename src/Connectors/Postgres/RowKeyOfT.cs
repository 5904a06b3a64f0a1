namespace Etl.Connectors.Postgres;

/// <summary>
/// Compares rows of one batch, named by their index, by their key columns' values, typed: no boxed key per row.
/// A batch must hold each key once. One instance serves every batch of a writer (<see cref="Rows"/> is set per batch), so
/// the dictionary that uses it is reused instead of allocated per batch.
/// </summary>
internal sealed class RowKey<T>(PostgresColumn<T>[] keys) : IEqualityComparer<int>
{
    public IReadOnlyList<T> Rows { get; set; } = [];

    public bool Equals(int x, int y)
    {
        var rows = Rows;
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
        var rows = Rows;
        var hash = default(HashCode);
        foreach (var key in keys)
        {
            hash.Add(key.HashOf(rows[obj]));
        }

        return hash.ToHashCode();
    }
}
