using Npgsql;

namespace Etl.Worker.Job;

/// <summary>Creates the results table if it does not exist (the sink requires its target table to exist).</summary>
internal static class TotalsTable
{
    public static async Task EnsureAsync(string connectionString, string table, CancellationToken cancellationToken)
    {
        var schema = table.Contains('.', StringComparison.Ordinal) ? $"CREATE SCHEMA IF NOT EXISTS {table[..table.IndexOf('.', StringComparison.Ordinal)]};" : "";
        // Table and schema names were validated as plain identifiers (WorkerOptionsValidation).
        var sql = $"""
            {schema}
            CREATE TABLE IF NOT EXISTS {table} (
                customer_id text NOT NULL,
                window_start timestamptz NOT NULL,
                window_end timestamptz NOT NULL,
                total numeric(18,2) NOT NULL,
                order_count bigint NOT NULL,
                PRIMARY KEY (customer_id, window_start));
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
