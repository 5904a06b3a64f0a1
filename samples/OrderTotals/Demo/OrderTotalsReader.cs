using Dapper;
using Npgsql;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>Reads what the job wrote: the totals table and the job's dead letters.</summary>
internal static class OrderTotalsReader
{
    public static async Task<IReadOnlyList<WindowTotal>> TotalsAsync(string connectionString, string table, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        // The table name was validated as a plain (optionally schema-qualified) identifier.
        var rows = await connection.QueryAsync<TotalRow>(new CommandDefinition(
            $"SELECT customer_id AS CustomerId, window_start AS WindowStart, window_end AS WindowEnd, total AS Total, order_count AS OrderCount FROM {table}",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new WindowTotal(r.CustomerId, Ms(r.WindowStart), Ms(r.WindowEnd), r.Total, r.OrderCount))];
    }

    public static async Task<IReadOnlyList<DeadLetterRow>> DeadLettersAsync(string connectionString, string sinkSchema, string job, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<DeadLetterRow>(new CommandDefinition(
            $"SELECT reason AS Reason, raw_value AS Value, error AS Error FROM {sinkSchema}.dead_letters WHERE job = @job ORDER BY id",
            new { job },
            cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>Prepared transactions of the job still in PostgreSQL (gids start with etl:{job}:).</summary>
    public static async Task<IReadOnlyList<string>> PreparedTransactionsAsync(string connectionString, string job, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var gids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT gid FROM pg_prepared_xacts WHERE starts_with(gid, @prefix)", new { prefix = $"etl:{job}:" }, cancellationToken: cancellationToken));
        return [.. gids];
    }

    private static long Ms(DateTime utc) => (long)(DateTime.SpecifyKind(utc, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>A row of the totals table as PostgreSQL returns it (timestamptz as UTC <see cref="DateTime"/>).</summary>
    private sealed record TotalRow(string CustomerId, DateTime WindowStart, DateTime WindowEnd, decimal Total, long OrderCount);
}
