using System.Globalization;
using Npgsql;

namespace Etl.Connectors.Postgres;

/// <summary>Start-up check of the sink (DESIGN 7), also for tools that check a server first: PostgreSQL must allow prepared transactions.</summary>
public static class PreparedTransactionsCheck
{
    /// <summary>
    /// Returns the server's <c>max_prepared_transactions</c>; throws
    /// <see cref="PreparedTransactionsDisabledException"/> when it is 0.
    /// </summary>
    public static async Task<int> EnsureEnabledAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand("SHOW max_prepared_transactions", connection);
        var value = (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "0";
        var max = int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
        if (max <= 0)
        {
            throw new PreparedTransactionsDisabledException(
                $"PostgreSQL at {connection.Host}:{connection.Port} has max_prepared_transactions = {max}, so the exactly-once " +
                "sink cannot PREPARE TRANSACTION. Set max_prepared_transactions (at least the number of sink subtasks " +
                "times the checkpoints that may be pending, e.g. 64) in postgresql.conf, or start the server with " +
                "-c max_prepared_transactions=64, then restart PostgreSQL (the setting needs a restart).");
        }

        return max;
    }
}
