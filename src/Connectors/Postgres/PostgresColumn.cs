using NpgsqlTypes;

namespace Etl.Connectors.Postgres;

/// <summary>Builds <see cref="PostgresColumn{T}"/>s.</summary>
public static class PostgresColumn
{
    /// <summary>A column named <paramref name="name"/> of type <paramref name="type"/> whose value is <paramref name="value"/>(record).</summary>
    public static PostgresColumn<T> Of<T, TValue>(string name, NpgsqlDbType type, Func<T, TValue> value) =>
        new TypedPostgresColumn<T, TValue>(name, type, value);
}
