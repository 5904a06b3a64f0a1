namespace Etl.Connectors.Postgres;

/// <summary>The key columns' values of one row, compared by value (a batch must hold each key once).</summary>
internal readonly struct RowKey(object?[] values) : IEquatable<RowKey>
{
    private readonly object?[] _values = values;

    public bool Equals(RowKey other)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (!Equals(_values[i], other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is RowKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var value in _values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }
}
