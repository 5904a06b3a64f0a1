using System.Globalization;
using Confluent.Kafka;
using Etl.Connectors.Kafka;
using Etl.Connectors.Postgres;
using Etl.DevServices.Kafka;
using Npgsql;

namespace Etl.DevServices;

/// <summary>
/// <c>etl dev smoke</c>: Kafka -> PostgreSQL end to end through a prepared transaction, one printed line per
/// step. Uses KAFKA_BOOTSTRAP_SERVERS / ETL_POSTGRES when set, else starts its own throwaway services and
/// stops them again, also on failure.
/// </summary>
internal static class SmokeDemo
{
    private const int RecordCount = 5;

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        KafkaNativeLibrary.EnsureLoaded();
        await Step($"librdkafka {KafkaNativeLibrary.Version} loaded as {KafkaNativeLibrary.LoadedFrom}");
        var bootstrap = Environment.GetEnvironmentVariable(ServicesFile.KafkaBootstrapServers);
        using var cluster = string.IsNullOrEmpty(bootstrap) ? MockKafkaCluster.Create(brokerCount: 1) : null;
        var topic = "smoke-" + Guid.NewGuid().ToString("N")[..8];
        if (cluster is not null)
        {
            bootstrap = cluster.BootstrapServers;
            cluster.CreateTopic(topic, partitions: 1, replicationFactor: 1);
            await Step($"started mock Kafka at {bootstrap}; created topic {topic} (1 partition)");
        }
        else if (Environment.GetEnvironmentVariable(ServicesFile.KafkaControl) is { Length: > 0 } control)
        {
            using var client = new MockKafkaControl(new Uri(control));
            await client.CreateTopicAsync(topic, partitions: 1, replicationFactor: 1, cancellationToken);
            await Step($"using mock Kafka at {bootstrap} (etl dev up); created topic {topic} (1 partition) through {control}");
        }
        else
        {
            await Step($"using Kafka at {bootstrap}; topic {topic} is auto-created on first produce");
        }

        var connectionString = Environment.GetEnvironmentVariable(ServicesFile.Postgres);
        await using var postgres = string.IsNullOrEmpty(connectionString) ? await LocalPostgres.CreateAsync(64, cancellationToken) : null;
        connectionString = postgres?.ConnectionString ?? connectionString!;
        await Step(postgres is null ? "using PostgreSQL from ETL_POSTGRES" : $"started PostgreSQL on port {postgres.Port} in {postgres.RootDirectory}");

        await DevKafkaClients.ProduceAsync(bootstrap!, topic, Enumerable.Range(0, RecordCount).Select(i => "order-" + i.ToString(CultureInfo.InvariantCulture)), cancellationToken);
        var values = Consume(bootstrap!, topic, cancellationToken);
        await Step($"consumed {values.Count} records back: {string.Join(", ", values)}");

        var gid = $"etl:smoke:sink:0:{topic}";
        var table = "smoke_" + topic[6..];
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            var max = await PreparedTransactionsCheck.EnsureEnabledAsync(connection, cancellationToken);
            await Step($"max_prepared_transactions = {max}");
            await Execute(connection, $"CREATE TABLE {table} (value text PRIMARY KEY)", cancellationToken);
            await Execute(connection, "BEGIN", cancellationToken);
            foreach (var value in values)
            {
                await using var insert = new NpgsqlCommand($"INSERT INTO {table} (value) VALUES (@v)", connection);
                insert.Parameters.AddWithValue("v", value);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await Execute(connection, $"PREPARE TRANSACTION '{gid}'", cancellationToken);
            await Step($"wrote {values.Count} rows to {table} and PREPARE TRANSACTION '{gid}'");
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await Execute(connection, $"COMMIT PREPARED '{gid}'", cancellationToken);
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            var rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            await Step($"COMMIT PREPARED from a new connection; {table} holds {rows} rows");
            await Execute(connection, $"DROP TABLE {table}", cancellationToken);
            if (rows != values.Count)
            {
                throw new InvalidOperationException($"Expected {values.Count} rows, found {rows}.");
            }
        }

        await Step("smoke OK; stopping the services");
        return 0;
    }

    private static List<string> Consume(string bootstrap, string topic, CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig { BootstrapServers = bootstrap, GroupId = topic, AutoOffsetReset = AutoOffsetReset.Earliest };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (values.Count < RecordCount && DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                values.Add(result.Message.Value);
            }
        }

        consumer.Close();
        return values.Count == RecordCount
            ? values
            : throw new InvalidOperationException($"Consumed {values.Count} of {RecordCount} records from {topic} within 30 s.");
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task Step(string text) =>
        Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[smoke] {text}"));
}
