using Etl.Connectors.Postgres;
using Npgsql;

namespace Etl.Samples.OrderTotals.Job;

/// <summary>
/// Creates the results table if it does not exist (the sink requires its target table to exist), and refuses one whose
/// total column is bounded: a window's total of valid orders has no upper bound, and a bounded column would fail the
/// epoch that writes it on every replay (a crash loop).
/// </summary>
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
                total numeric NOT NULL,
                order_count bigint NOT NULL,
                PRIMARY KEY (customer_id, window_start));
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var check = new NpgsqlCommand(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = @table::regclass AND attname = 'total' AND NOT attisdropped",
            connection);
        check.Parameters.AddWithValue("table", table);
        var type = await check.ExecuteScalarAsync(cancellationToken) as string;
        if (type != "numeric")
        {
            // Tables made by versions before numeric had no bound were numeric(18,2). Altering it here would wait for
            // the locks of transactions still prepared by the previous run, which only this job commits: a deadlock.
            throw new SinkTableMismatchException(
                $"{table}.total is {type ?? "missing"}, but a window's total of valid orders can exceed any precision " +
                $"(each order is at most {Orders.OrderJson.MaxAmount}, and a window may hold many). Stop the job (etl stop or SIGTERM " +
                $"commits everything), then run: ALTER TABLE {table} ALTER COLUMN total TYPE numeric; " +
                "(from numeric(p,s) this rewrites nothing) and start it again.");
        }
    }
}
