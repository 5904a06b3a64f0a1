namespace Etl.Connectors.Postgres;

/// <summary>Where and how the sink writes records: the target table, its columns, and insert or upsert.</summary>
/// <param name="Table">The target table, optionally schema-qualified (<c>schema.table</c>); it must exist.</param>
/// <param name="Columns">The columns written, with their value getters.</param>
/// <param name="Mode">Insert or upsert.</param>
/// <param name="KeyColumns">For upsert: the columns of the unique key the upsert conflicts on.</param>
public sealed record PostgresTableMapping<T>(
    string Table,
    IReadOnlyList<PostgresColumn<T>> Columns,
    PostgresWriteMode Mode = PostgresWriteMode.Insert,
    IReadOnlyList<string>? KeyColumns = null);
