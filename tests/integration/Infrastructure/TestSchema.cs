using Npgsql;

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>A fresh PostgreSQL schema per test, first on the search path of <see cref="ConnectionString"/>; dropped on dispose.</summary>
internal sealed class TestSchema : IAsyncDisposable
{
    private TestSchema(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestSchema> CreateAsync(CancellationToken cancellationToken)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        var builder = new NpgsqlConnectionStringBuilder(TestServices.PostgresConnectionString) { SearchPath = name };
        var schema = new TestSchema(name, builder.ConnectionString);
        await schema.ExecuteAsync($"CREATE SCHEMA {name}", cancellationToken);
        return schema;
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync($"DROP SCHEMA IF EXISTS {Name} CASCADE", CancellationToken.None);
}
