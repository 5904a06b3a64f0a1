using Dapper;
using Etl.Connectors.Postgres;
using Etl.Tests.Integration.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace Etl.Tests.Integration.Sink;

/// <summary>
/// A fresh schema per test with a target table <c>results (id bigint PRIMARY KEY, value bigint CHECK (value &gt;= 0))</c>
/// and a job name of its own. Dispose rolls back whatever the test's job left prepared and drops the schema.
/// </summary>
internal sealed class SinkTestSchema : IAsyncDisposable
{
    private SinkTestSchema(string name)
    {
        Name = name;
        Job = "job-" + name[2..];
    }

    public string Name { get; }

    public string Job { get; }

    public string Table => $"{Name}.results";

    public static async Task<SinkTestSchema> CreateAsync(CancellationToken cancellationToken)
    {
        var schema = new SinkTestSchema("s_" + Guid.NewGuid().ToString("N")[..16]);
        await schema.ExecuteAsync(
            $"CREATE SCHEMA IF NOT EXISTS {schema.Name}; CREATE TABLE {schema.Table} (id bigint PRIMARY KEY, value bigint NOT NULL CHECK (value >= 0))",
            cancellationToken);
        return schema;
    }

    public PostgresSinkOptions<ResultRow> Options(PostgresWriteMode mode = PostgresWriteMode.Upsert, int batchSize = 100) =>
        new(TestServices.PostgresConnectionString, Job, "results", new PostgresTableMapping<ResultRow>(
            Table,
            [
                PostgresColumn.Of<ResultRow, long>("id", NpgsqlDbType.Bigint, r => r.Id),
                PostgresColumn.Of<ResultRow, long>("value", NpgsqlDbType.Bigint, r => r.Value),
            ],
            mode,
            ["id"]))
        {
            Schema = Name,
            BatchSize = batchSize,
        };

    public async Task<long> CountAsync(string where = "true") =>
        (long)(await ScalarAsync($"SELECT count(*) FROM {Table} WHERE {where}"))!;

    /// <summary>Rows in the sink's staging table(s) in this schema.</summary>
    public async Task<long> StagedCountAsync()
    {
        IEnumerable<string> tables;
        await using (var connection = await OpenAsync())
        {
            tables = await connection.QueryAsync<string>("SELECT tablename FROM pg_tables WHERE schemaname = @s AND tablename LIKE 'stage\\_%'", new { s = Name });
        }

        var total = 0L;
        foreach (var table in tables)
        {
            total += (long)(await ScalarAsync($"SELECT count(*) FROM {Name}.{table}"))!;
        }

        return total;
    }

    public async Task<long> DeadLetterCountAsync() => (long)(await ScalarAsync($"SELECT count(*) FROM {Name}.dead_letters"))!;

    /// <summary>The target table's rows, by id.</summary>
    public async Task<IReadOnlyList<ResultRow>> RowsAsync()
    {
        await using var connection = await OpenAsync();
        return [.. await connection.QueryAsync<ResultRow>($"SELECT id AS Id, value AS Value FROM {Table} ORDER BY id")];
    }

    public async Task<IReadOnlyList<string>> PreparedGidsAsync()
    {
        await using var connection = await OpenAsync();
        return [.. await connection.QueryAsync<string>("SELECT gid FROM pg_prepared_xacts WHERE gid LIKE @p ORDER BY gid", new { p = $"etl:{Job}:%" })];
    }

    /// <summary>The end-of-test checks: nothing of this job left prepared, and every id at most once.</summary>
    public async Task AssertCleanAsync()
    {
        Assert.Empty(await PreparedGidsAsync());
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) - count(DISTINCT id) FROM {Table}"));
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gid in await PreparedGidsAsync())
        {
            await ExecuteAsync($"ROLLBACK PREPARED '{gid}'");
        }

        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestServices.PostgresConnectionString) { SearchPath = Name };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
