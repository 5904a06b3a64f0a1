using Npgsql;
using NpgsqlTypes;

namespace Etl.Connectors.Postgres;

internal sealed class TypedPostgresColumn<T, TValue>(string name, NpgsqlDbType type, Func<T, TValue> value)
    : PostgresColumn<T>(name, type)
{
    private readonly Func<T, TValue> _value = value ?? throw new ArgumentNullException(nameof(value));

    internal override Action<BinaryCopyRows, T>? Encoder { get; } = EncoderOf(name, type, value);

    // The types the sink writes itself, each exactly as Npgsql writes it (BinaryCopyRowsTests compares the two).
    private static Action<BinaryCopyRows, T>? EncoderOf(string name, NpgsqlDbType type, Func<T, TValue> value) => (type, value) switch
    {
        (NpgsqlDbType.Text or NpgsqlDbType.Varchar, Func<T, string?> text) => (rows, row) => WriteText(rows, text(row)),
        (NpgsqlDbType.Bigint, Func<T, long> int64) => (rows, row) => rows.Int64(int64(row)),
        (NpgsqlDbType.Integer, Func<T, int> int32) => (rows, row) => rows.Int32(int32(row)),
        (NpgsqlDbType.Numeric, Func<T, decimal> number) => (rows, row) => rows.Numeric(number(row)),
        (NpgsqlDbType.TimestampTz, Func<T, DateTime> time) => (rows, row) => rows.Timestamp(Utc(name, time(row))),
        _ => null,
    };

    private static void WriteText(BinaryCopyRows rows, string? value)
    {
        if (value is null)
        {
            rows.Null();
        }
        else
        {
            rows.Text(value);
        }
    }

    // Npgsql refuses a local or unspecified DateTime for timestamptz, except its min and max values (the infinities).
    private static DateTime Utc(string column, DateTime value) =>
        value.Kind == DateTimeKind.Utc || value.Ticks == DateTime.MinValue.Ticks || value.Ticks == DateTime.MaxValue.Ticks
            ? value
            : throw new ArgumentException(
                $"Cannot write DateTime with Kind={value.Kind} to column {column} of PostgreSQL type 'timestamp with time zone', only UTC is supported.");

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
