using Npgsql;

namespace Etl.Samples.PaymentsLoad;

/// <summary>
/// Creates the payments table if it does not exist (the sink requires its target table). On purpose it has no unique key
/// on payment_id: a duplicate would be a second row, visible, not hidden by an upsert or refused by a constraint; that
/// each payment is there once is the sink's exactly-once guarantee, not the table's.
/// </summary>
internal static class PaymentsTable
{
    public static async Task EnsureAsync(string connectionString, string table, CancellationToken cancellationToken)
    {
        // The table name was checked as a plain, optionally schema-qualified identifier by the sink's options.
        var dot = table.IndexOf('.', StringComparison.Ordinal);
        var schema = dot > 0 ? $"CREATE SCHEMA IF NOT EXISTS {table[..dot]};" : "";
        var sql = $"""
            {schema}
            CREATE TABLE IF NOT EXISTS {table} (
                id bigserial PRIMARY KEY,
                payment_id text NOT NULL,
                account text NOT NULL,
                amount_minor bigint NOT NULL,
                currency text NOT NULL,
                paid_at timestamptz NOT NULL,
                loaded_at timestamptz NOT NULL DEFAULT now());
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
