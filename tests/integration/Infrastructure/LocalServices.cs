using Etl.Worker.Dev;

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>
/// Where the integration tests find Kafka and PostgreSQL: the environment (KAFKA_BOOTSTRAP_SERVERS,
/// ETL_POSTGRES, ETL_KAFKA_CONTROL), else .local/services.env written by <c>etl dev up</c>.
/// A variable in the environment wins over the file, per variable.
/// </summary>
internal sealed record LocalServices(string KafkaBootstrapServers, string PostgresConnectionString, Uri? KafkaControl)
{
    private static readonly Lazy<LocalServices> Loaded = new(Load);

    /// <summary>Throws with what to run when a service is not configured.</summary>
    public static LocalServices Current => Loaded.Value;

    /// <summary>True when the Kafka under test is the mock cluster with its control endpoint (fault injection possible).</summary>
    public static bool HasMockKafkaControl => Lookup(ServicesFile.KafkaControl) is not null;

    private static LocalServices Load()
    {
        var kafka = Lookup(ServicesFile.KafkaBootstrapServers);
        var postgres = Lookup(ServicesFile.Postgres);
        if (kafka is null || postgres is null)
        {
            throw new InvalidOperationException(
                $"Integration tests need Kafka and PostgreSQL, but {(kafka is null ? "KAFKA_BOOTSTRAP_SERVERS" : "ETL_POSTGRES")} is neither " +
                $"set in the environment nor in {RepoPaths.ServicesFile}. Run ./test.sh, or start the local services with " +
                "`dotnet src/Worker/bin/Release/net10.0/etl.dll dev up` (and `... dev down` afterwards).");
        }

        var control = Lookup(ServicesFile.KafkaControl);
        return new LocalServices(kafka, postgres, control is null ? null : new Uri(control));
    }

    private static string? Lookup(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        // An externally configured Kafka has no mock control, even if a stale services.env names one.
        if (name == ServicesFile.KafkaControl && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServicesFile.KafkaBootstrapServers)))
        {
            return null;
        }

        return ServicesFile.ReadOrEmpty(RepoPaths.ServicesFile).GetValueOrDefault(name);
    }
}
