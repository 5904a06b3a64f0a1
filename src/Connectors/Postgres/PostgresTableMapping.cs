namespace Etl.Connectors.Postgres;

/// <summary>Where and how the sink writes records: the target table, its columns, and insert or upsert.</summary>
/// <param name="Table">The target table, optionally schema-qualified (<c>schema.table</c>); it must exist.</param>
/// <param name="Columns">The columns written, with their value getters.</param>
/// <param name="Mode">Insert or upsert.</param>
/// <param name="KeyColumns">For upsert: the columns of the unique key the upsert conflicts on.</param>
/// <param name="Deletes">
/// Upsert only: records for which it returns true delete the row of their key instead of writing one (only the
/// key columns are read), for example a retracted window result. Deletes and upserts keep their stream order
/// per key within an epoch, so a key may be deleted and written again in one epoch; a delete of a missing key
/// does nothing. Null (the default): every record is written.
/// </param>
public sealed record PostgresTableMapping<T>(
    string Table,
    IReadOnlyList<PostgresColumn<T>> Columns,
    PostgresWriteMode Mode = PostgresWriteMode.Insert,
    IReadOnlyList<string>? KeyColumns = null,
    Func<T, bool>? Deletes = null);
