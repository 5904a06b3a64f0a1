using Etl.Connectors.Postgres;
using Etl.DevServices;
using Etl.Tests.Integration.Infrastructure;
using Npgsql;

namespace Etl.Tests.Integration.Foundation;

/// <summary>Each test here runs its own throwaway cluster (initdb takes a second or two).</summary>
public sealed class LocalPostgresTests
{
    [Fact]
    public async Task PreparedTransactionsCheck_WhenMaxPreparedTransactionsIsZero_FailsSayingHowToSetIt()
    {
        var ct = TestDeadline.Token();
        await using var postgres = await LocalPostgres.CreateAsync(maxPreparedTransactions: 0, ct);
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);

        var failure = await Assert.ThrowsAsync<PreparedTransactionsDisabledException>(
            () => PreparedTransactionsCheck.EnsureEnabledAsync(connection, ct));

        Assert.IsAssignableFrom<InvalidOperationException>(failure);
        Assert.Contains("max_prepared_transactions", failure.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql.conf", failure.Message, StringComparison.Ordinal);
        Assert.Contains("-c max_prepared_transactions=64", failure.Message, StringComparison.Ordinal);
        Assert.Contains("restart", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreparedTransactionsCheck_OnTheSharedServer_ReturnsTheLimit()
    {
        var ct = TestDeadline.Token();
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync(ct);

        Assert.True(await PreparedTransactionsCheck.EnsureEnabledAsync(connection, ct) > 0);
    }

    [Fact]
    public async Task PreparedTransaction_SurvivesAPostgresRestart_AndCommitsAfterIt()
    {
        var ct = TestDeadline.Token();
        await using var postgres = await LocalPostgres.CreateAsync(maxPreparedTransactions: 8, ct);
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await Execute(connection, "CREATE TABLE results (id int)", ct);
            await Execute(connection, "BEGIN", ct);
            await Execute(connection, "INSERT INTO results VALUES (1)", ct);
            await Execute(connection, "PREPARE TRANSACTION 'etl:test:restart:0:1'", ct);
        }

        await postgres.RestartAsync(ct);

        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync(ct);
            Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM pg_prepared_xacts", ct));
            await Execute(connection, "COMMIT PREPARED 'etl:test:restart:0:1'", ct);
            Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM results", ct));
            Assert.Equal(0L, await Scalar(connection, "SELECT count(*) FROM pg_prepared_xacts", ct));
        }

        var root = postgres.RootDirectory;
        await postgres.DisposeAsync();
        Assert.False(Directory.Exists(root));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct);
    }
}
