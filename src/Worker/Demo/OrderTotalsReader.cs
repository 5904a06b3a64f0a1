using Npgsql;

namespace Etl.Worker.Demo;

/// <summary>Reads what the job wrote: the totals table and the job's dead letters.</summary>
internal static class OrderTotalsReader
{
    public static async Task<IReadOnlyList<WindowTotal>> TotalsAsync(string connectionString, string table, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // The table name was validated as a plain (optionally schema-qualified) identifier.
        await using var command = new NpgsqlCommand($"SELECT customer_id, window_start, window_end, total, order_count FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<WindowTotal>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new WindowTotal(
                reader.GetString(0), Ms(reader.GetFieldValue<DateTime>(1)), Ms(reader.GetFieldValue<DateTime>(2)), reader.GetDecimal(3), reader.GetInt64(4)));
        }

        return rows;
    }

    public static async Task<IReadOnlyList<DeadLetterRow>> DeadLettersAsync(string connectionString, string sinkSchema, string job, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT reason, raw_value, error FROM {sinkSchema}.dead_letters WHERE job = @job ORDER BY id", connection);
        command.Parameters.AddWithValue("job", job);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<DeadLetterRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DeadLetterRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), reader.GetString(2)));
        }

        return rows;
    }

    /// <summary>Prepared transactions of the job still in PostgreSQL (gids start with etl:{job}:).</summary>
    public static async Task<IReadOnlyList<string>> PreparedTransactionsAsync(string connectionString, string job, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT gid FROM pg_prepared_xacts WHERE starts_with(gid, @prefix)", connection);
        command.Parameters.AddWithValue("prefix", $"etl:{job}:");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var gids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            gids.Add(reader.GetString(0));
        }

        return gids;
    }

    private static long Ms(DateTime utc) => (long)(DateTime.SpecifyKind(utc, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;
}
