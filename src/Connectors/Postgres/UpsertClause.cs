namespace Etl.Connectors.Postgres;

/// <summary>
/// The one upsert rule of the sink, for every statement that writes the target in upsert mode (direct batches and
/// staged epochs): <c>ON CONFLICT (keys) DO UPDATE SET</c> every other column to the new row's value, or
/// <c>DO NOTHING</c> when every column is a key.
/// </summary>
internal static class UpsertClause
{
    public static string Of<T>(PostgresTableMapping<T> table)
    {
        var keys = table.KeyColumns ?? [];
        var updates = table.Columns.Where(c => !keys.Contains(c.Name)).Select(c => $"{c.Name} = EXCLUDED.{c.Name}").ToList();
        var action = updates.Count == 0 ? "DO NOTHING" : $"DO UPDATE SET {string.Join(", ", updates)}";
        return $"ON CONFLICT ({string.Join(", ", keys)}) {action}";
    }
}
