using System.Text.RegularExpressions;
using Npgsql;

namespace Etl.Connectors.Postgres;

/// <summary>Checks <see cref="PostgresSinkOptions{T}"/> at start, naming the bad setting.</summary>
internal static partial class PostgresSinkOptionsValidation
{
    public static void Validate<T>(PostgresSinkOptions<T> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Name = "PostgresSinkOptions";
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException($"{Name}.ConnectionString must not be empty.", nameof(options));
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{Name}.ConnectionString is not a valid Npgsql connection string: {e.Message}", nameof(options), e);
        }

        if (TransactionGid.Problem(options.JobName) is { } jobProblem)
        {
            throw new ArgumentException($"{Name}.JobName {jobProblem}.", nameof(options));
        }

        if (TransactionGid.Problem(options.SinkUid) is { } sinkProblem)
        {
            throw new ArgumentException($"{Name}.SinkUid {sinkProblem}.", nameof(options));
        }

        if (options.BatchSize is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"{Name}.BatchSize is {options.BatchSize}; it must be between 1 and 1,000,000.", nameof(options));
        }

        if (options.MaxHeldRows < options.BatchSize)
        {
            throw new ArgumentException($"{Name}.MaxHeldRows ({options.MaxHeldRows}) must be at least BatchSize ({options.BatchSize}).", nameof(options));
        }

        if (!Identifier().IsMatch(options.Schema ?? ""))
        {
            throw new ArgumentException($"{Name}.Schema '{options.Schema}' must be a plain SQL identifier (letters, digits, '_').", nameof(options));
        }

        if (options.LockTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{Name}.LockTimeout must be positive.", nameof(options));
        }

        ValidateTable(options.Table, Name);
    }

    private static void ValidateTable<T>(PostgresTableMapping<T>? table, string name)
    {
        if (table is null)
        {
            throw new ArgumentException($"{name}.Table must be set.", nameof(table));
        }

        if (!QualifiedIdentifier().IsMatch(table.Table ?? ""))
        {
            throw new ArgumentException($"{name}.Table.Table '{table.Table}' must be a plain table name, optionally schema-qualified (schema.table).", nameof(table));
        }

        if (table.Columns is null || table.Columns.Count == 0)
        {
            throw new ArgumentException($"{name}.Table.Columns must list at least one column.", nameof(table));
        }

        var columns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            if (!Identifier().IsMatch(column.Name) || !columns.Add(column.Name))
            {
                throw new ArgumentException($"{name}.Table.Columns: '{column.Name}' is not a plain identifier or is listed twice.", nameof(table));
            }
        }

        var keys = table.KeyColumns ?? [];
        if (table.Mode != PostgresWriteMode.Insert && keys.Count == 0)
        {
            throw new ArgumentException($"{name}.Table.KeyColumns must name the unique key columns when Mode is {table.Mode}.", nameof(table));
        }

        if (table.Deletes is not null && table.Mode != PostgresWriteMode.Upsert)
        {
            throw new ArgumentException($"{name}.Table.Deletes needs Mode {PostgresWriteMode.Upsert} (a delete names its row by the key columns), not {table.Mode}.", nameof(table));
        }

        if (keys.FirstOrDefault(k => !columns.Contains(k)) is { } missing)
        {
            throw new ArgumentException($"{name}.Table.KeyColumns: '{missing}' is not one of the mapped columns.", nameof(table));
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$")]
    private static partial Regex QualifiedIdentifier();
}
