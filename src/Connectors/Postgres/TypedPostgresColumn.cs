using Npgsql;
using NpgsqlTypes;

namespace Etl.Connectors.Postgres;

internal sealed class TypedPostgresColumn<T, TValue>(string name, NpgsqlDbType type, Func<T, TValue> value)
    : PostgresColumn<T>(name, type)
{
    private readonly Func<T, TValue> _value = value ?? throw new ArgumentNullException(nameof(value));

    internal override NpgsqlParameter ToArrayParameter(string parameterName, IReadOnlyList<T> rows)
    {
        var values = new TValue[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _value(rows[i]);
        }

        return new NpgsqlParameter<TValue[]>(parameterName, NpgsqlDbType.Array | Type) { TypedValue = values };
    }

    internal override bool SameValue(T a, T b) => EqualityComparer<TValue>.Default.Equals(_value(a), _value(b));

    internal override int HashOf(T row) => _value(row) is { } v ? EqualityComparer<TValue>.Default.GetHashCode(v) : 0;

    internal override bool[]? LastOfEachValue(IReadOnlyList<T> rows)
    {
        // Typed, so that a batch of long keys is deduplicated without boxing every key.
        var last = new Dictionary<ColumnValue<TValue>, int>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            last[new ColumnValue<TValue>(_value(rows[i]))] = i;
        }

        if (last.Count == rows.Count)
        {
            return null;
        }

        var keep = new bool[rows.Count];
        foreach (var index in last.Values)
        {
            keep[index] = true;
        }

        return keep;
    }

    internal override Task WriteAsync(NpgsqlBinaryImporter importer, T row, CancellationToken cancellationToken)
    {
        var v = _value(row);
        return v is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(v, Type, cancellationToken);
    }
}
