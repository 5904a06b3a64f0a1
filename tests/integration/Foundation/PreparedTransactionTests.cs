using Etl.Tests.Integration.Infrastructure;
using Npgsql;

namespace Etl.Tests.Integration.Foundation;

public sealed class PreparedTransactionTests
{
    [Fact]
    public async Task PreparedTransaction_IsCommittedFromAnotherConnection_AfterThePreparingOneClosed()
    {
        var ct = TestDeadline.Token();
        await using var schema = await TestSchema.CreateAsync(ct);
        await schema.ExecuteAsync("CREATE TABLE results (event_id text PRIMARY KEY)", ct);
        var gid = $"etl:test:{schema.Name}:0:1";

        await using (var connection = await schema.OpenAsync(ct))
        {
            await Execute(connection, "BEGIN", ct);
            await Execute(connection, "INSERT INTO results VALUES ('e1'), ('e2')", ct);
            await Execute(connection, $"PREPARE TRANSACTION '{gid}'", ct);
        }

        Assert.Equal(1L, await schema.ScalarAsync($"SELECT count(*) FROM pg_prepared_xacts WHERE gid = '{gid}'", ct));
        Assert.Equal(0L, await schema.ScalarAsync("SELECT count(*) FROM results", ct));

        await schema.ExecuteAsync($"COMMIT PREPARED '{gid}'", ct);

        Assert.Equal(2L, await schema.ScalarAsync("SELECT count(*) FROM results", ct));
        Assert.Equal(0L, await schema.ScalarAsync($"SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'etl:test:{schema.Name}:%'", ct));
    }

    [Fact]
    public async Task CommitPrepared_OfAnUnknownGid_FailsWithUndefinedObject()
    {
        var ct = TestDeadline.Token();
        await using var schema = await TestSchema.CreateAsync(ct);

        // DESIGN 4: recovery tells "already committed" from "lost" by this SQLSTATE plus a marker row.
        var failure = await Assert.ThrowsAsync<PostgresException>(() => schema.ExecuteAsync($"COMMIT PREPARED 'etl:test:{schema.Name}:0:9'", ct));
        Assert.Equal(PostgresErrorCodes.UndefinedObject, failure.SqlState);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
