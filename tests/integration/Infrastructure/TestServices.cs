using DotNet.Testcontainers.Configurations;
using Etl.DevServices;
using Npgsql;
using Testcontainers.Kafka;
using Testcontainers.PostgreSql;

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>
/// The one place that decides where the integration tests find Kafka and PostgreSQL, once per test run and per
/// service, in this order:
/// <list type="number">
/// <item>the environment (<c>KAFKA_BOOTSTRAP_SERVERS</c>, <c>ETL_POSTGRES</c>) when it names a service other than the
/// one <c>.local/services.env</c> describes: an external service, used as it is;</item>
/// <item>a container started with Testcontainers (<c>apache/kafka</c>, <c>postgres:15</c>) when a Docker engine is
/// reachable, unless <c>ETL_TEST_CONTAINERS=off</c>;</item>
/// <item>the local services of <c>etl dev up</c>: <c>.local/services.env</c>, or the same values that
/// <c>./test.sh</c> exported from it into the environment (for Kafka, the mock cluster and its control endpoint).</item>
/// </list>
/// <c>ETL_TEST_CONTAINERS=require</c> fails instead of falling back when no engine is reachable. The choice is
/// printed once per test run (<see cref="Describe"/>); without an engine that line says so, and the tests run on the
/// local services.
/// </summary>
internal static class TestServices
{
    public const string ContainersVariable = "ETL_TEST_CONTAINERS";

    /// <summary>The same Kafka as docker-compose.yml, so the tests meet the broker the compose file starts.</summary>
    private const string KafkaImage = "apache/kafka:3.9.1";

    private const string PostgresImage = "postgres:15";

    private static readonly Lazy<bool> DockerChosen = new(ChooseContainers);
    private static readonly Lazy<(string BootstrapServers, Uri? Control)> Kafka = new(ResolveKafka);
    private static readonly Lazy<string> Postgres = new(ResolvePostgres);

    /// <summary>Bootstrap servers of the Kafka under test; starts its container on first use when one is chosen.</summary>
    public static string KafkaBootstrapServers => Kafka.Value.BootstrapServers;

    /// <summary>The mock cluster's control endpoint, or null when the Kafka under test is a real broker.</summary>
    public static Uri? KafkaControl => Kafka.Value.Control;

    /// <summary>Npgsql connection string of the PostgreSQL under test (max_prepared_transactions &gt; 0).</summary>
    public static string PostgresConnectionString => Postgres.Value;

    /// <summary>
    /// True when the Kafka under test is the mock cluster with its control endpoint (fault injection possible).
    /// Decides without starting anything, so that test attributes can ask.
    /// </summary>
    public static bool HasMockKafkaControl => ControlOf(OriginOf(ServicesFile.KafkaBootstrapServers)) is not null;

    /// <summary>Where the Kafka under test comes from, for skip reasons and messages.</summary>
    public static string KafkaDescription => OriginOf(ServicesFile.KafkaBootstrapServers) switch
    {
        Origin.External => "the external Kafka of KAFKA_BOOTSTRAP_SERVERS",
        Origin.Container => $"a Kafka container ({KafkaImage})",
        _ => HasMockKafkaControl ? "the local mock Kafka" : "a local Kafka",
    };

    /// <summary>Where each service comes from and why, in one line for the test output (see <see cref="IntegrationTestFramework"/>).</summary>
    public static string Describe()
    {
        var postgres = OriginOf(ServicesFile.Postgres) switch
        {
            Origin.External => "the external PostgreSQL of ETL_POSTGRES",
            Origin.Container => $"a PostgreSQL container ({PostgresImage})",
            _ => "the local PostgreSQL",
        };
        return $"Kafka: {KafkaDescription}; PostgreSQL: {postgres}." + (DockerChosen.IsValueCreated ? " " + DockerNote : "");
    }

    private static string DockerNote { get; set; } = "";

    private enum Origin
    {
        External,
        Container,
        Local,
    }

    private static Origin OriginOf(string variable)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(fromEnvironment) && fromEnvironment != LocalFile().GetValueOrDefault(variable))
        {
            return Origin.External;
        }

        return DockerChosen.Value ? Origin.Container : Origin.Local;
    }

    private static (string, Uri?) ResolveKafka()
    {
        switch (OriginOf(ServicesFile.KafkaBootstrapServers))
        {
            case Origin.External:
                return (Environment.GetEnvironmentVariable(ServicesFile.KafkaBootstrapServers)!, ControlOf(Origin.External));
            case Origin.Container:
                return (Start(StartKafkaContainerAsync, KafkaImage), null);
            default:
                return (Local(ServicesFile.KafkaBootstrapServers) ?? throw NotConfigured(ServicesFile.KafkaBootstrapServers), ControlOf(Origin.Local));
        }
    }

    /// <summary>
    /// The mock's control endpoint: from the environment unless Kafka runs in a container; from services.env only for
    /// the local Kafka (an externally configured Kafka has no mock control, even if a stale services.env names one).
    /// </summary>
    private static Uri? ControlOf(Origin origin)
    {
        var control = origin switch
        {
            Origin.Container => null,
            Origin.External => Environment.GetEnvironmentVariable(ServicesFile.KafkaControl),
            _ => Local(ServicesFile.KafkaControl),
        };
        return string.IsNullOrEmpty(control) ? null : new Uri(control);
    }

    private static string ResolvePostgres() => OriginOf(ServicesFile.Postgres) switch
    {
        Origin.External => Environment.GetEnvironmentVariable(ServicesFile.Postgres)!,
        Origin.Container => Start(StartPostgresContainerAsync, PostgresImage),
        _ => Local(ServicesFile.Postgres) ?? throw NotConfigured(ServicesFile.Postgres),
    };

    private static async Task<string> StartKafkaContainerAsync()
    {
        var container = new KafkaBuilder(KafkaImage)
            .WithEnvironment("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            .Build();
        await container.StartAsync();

        // GetBootstrapAddress is a URI (plaintext://host:port/); clients and the worker's settings take host:port.
        var address = new Uri(container.GetBootstrapAddress());
        return $"{address.Host}:{address.Port}";
    }

    private static async Task<string> StartPostgresContainerAsync()
    {
        var container = new PostgreSqlBuilder(PostgresImage)
            .WithUsername("etl")
            .WithPassword("etl")
            .WithDatabase("etl")
            // The 2PC sink needs prepared transactions (DESIGN 7); PostgreSQL's default of 0 disables them.
            .WithCommand("-c", "max_prepared_transactions=64")
            .Build();
        await container.StartAsync();

        // As the local service: unpooled, so that a closed connection ends its session (and its advisory locks).
        return new NpgsqlConnectionStringBuilder(container.GetConnectionString()) { Pooling = false }.ConnectionString;
    }

    /// <remarks>
    /// Blocks once per service and test run: the address is read from synchronous code all over the tests
    /// (options builders, attribute constructors), and xunit 2 has no assembly fixture to start it before them.
    /// Task.Run keeps the start off xunit's synchronization context, so the wait cannot deadlock. The containers
    /// are not disposed here: Testcontainers' resource reaper (Ryuk) removes them when the test process ends.
    /// </remarks>
    private static string Start(Func<Task<string>> start, string image)
    {
        try
        {
            return Task.Run(start).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"A Docker engine is reachable, but the {image} container did not start ({e.GetType().Name}: {e.Message}). " +
                $"Fix the engine (or let it pull {image}), or set {ContainersVariable}=off to run on the local services (etl dev up).", e);
        }
    }

    /// <summary>Decided once: whether services not set from outside run in containers; <see cref="DockerNote"/> says why.</summary>
    private static bool ChooseContainers()
    {
        var mode = Environment.GetEnvironmentVariable(ContainersVariable)?.Trim().ToLowerInvariant() ?? "auto";
        switch (mode)
        {
            case "off":
                DockerNote = $"{ContainersVariable}=off: no Testcontainers containers.";
                return false;
            case "" or "auto" or "require":
                break;
            default:
                throw new InvalidOperationException($"{ContainersVariable}='{mode}': use auto (the default), off or require.");
        }

        // Null when Testcontainers found no engine (DOCKER_HOST, ~/.testcontainers.properties, the usual sockets).
        var engine = TestcontainersSettings.OS.DockerEndpointAuthConfig;
        if (engine is not null)
        {
            DockerNote = $"Docker engine at {engine.Endpoint}: services not set in the environment run in Testcontainers containers " +
                $"({ContainersVariable}=off to use the local services instead).";
            return true;
        }

        if (mode == "require")
        {
            throw new InvalidOperationException(
                $"{ContainersVariable}=require, but no Docker engine is reachable (DOCKER_HOST, ~/.testcontainers.properties, /var/run/docker.sock).");
        }

        DockerNote = "No Docker engine reachable: no Testcontainers containers; the tests run on the local services " +
            "(etl dev up: the librdkafka mock cluster and a throwaway PostgreSQL) or on those set in the environment.";
        return false;
    }

    private static string? Local(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return !string.IsNullOrEmpty(value) ? value : LocalFile().GetValueOrDefault(variable);
    }

    private static Dictionary<string, string> LocalFile() => ServicesFile.ReadOrEmpty(RepoPaths.ServicesFile);

    private static InvalidOperationException NotConfigured(string variable) => new(
        $"Integration tests need Kafka and PostgreSQL, but {variable} is neither set in the environment nor in " +
        $"{RepoPaths.ServicesFile}, and no Docker engine runs containers for them. Run ./test.sh, or start the local services " +
        "with `dotnet samples/OrderTotals/bin/Release/net10.0/etl.dll dev up` (and `... dev down` afterwards).");
}
