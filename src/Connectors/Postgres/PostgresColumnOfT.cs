using Npgsql;
using NpgsqlTypes;

namespace Etl.Connectors.Postgres;

/// <summary>A column of the target table and how to get its value from a record. Create with <see cref="PostgresColumn.Of"/>.</summary>
public abstract class PostgresColumn<T>
{
    private protected PostgresColumn(string name, NpgsqlDbType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public NpgsqlDbType Type { get; }

    /// <summary>A parameter holding this column of <paramref name="rows"/> as one array, for <c>unnest</c>.</summary>
    internal abstract NpgsqlParameter ToArrayParameter(string parameterName, IReadOnlyList<T> rows);

    /// <summary>Whether two rows hold the same value in this column (composite keys, without boxing).</summary>
    internal abstract bool SameValue(T a, T b);

    /// <summary>The hash of this column's value in <paramref name="row"/>, consistent with <see cref="SameValue"/>.</summary>
    internal abstract int HashOf(T row);

    /// <summary>For a single-column key: which rows are the last of their value (null when every value is unique).</summary>
    internal abstract bool[]? LastOfEachValue(IReadOnlyList<T> rows);

    internal abstract Task WriteAsync(NpgsqlBinaryImporter importer, T row, CancellationToken cancellationToken);

    /// <summary>
    /// Writes this column of a row in COPY's binary format as Npgsql would, without Npgsql's per-value
    /// type resolution; null when this column's type is not one the sink encodes itself (the table is then written
    /// through Npgsql's importer).
    /// </summary>
    internal abstract Action<BinaryCopyRows, T>? Encoder { get; }
}
