using Etl.Tests.Integration.Infrastructure;
using Etl.Worker.Dev;

namespace Etl.Tests.Integration.Sink;

/// <summary>
/// The PostgreSQL the sink tests use: env ETL_POSTGRES, else .local/services.env (written by <c>etl dev up</c>),
/// as <see cref="LocalServices"/> finds it. Unlike <see cref="LocalServices.Current"/> it does not also
/// require Kafka: these tests need PostgreSQL only.
/// </summary>
internal static class SinkDatabase
{
    private static readonly Lazy<string> Loaded = new(Load);

    public static string ConnectionString => Loaded.Value;

    private static string Load()
    {
        var value = Environment.GetEnvironmentVariable(ServicesFile.Postgres);
        if (string.IsNullOrWhiteSpace(value))
        {
            value = ServicesFile.ReadOrEmpty(RepoPaths.ServicesFile).GetValueOrDefault(ServicesFile.Postgres);
        }

        return !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidOperationException(
                $"The PostgreSQL sink tests need PostgreSQL (max_prepared_transactions > 0), but {ServicesFile.Postgres} is neither " +
                $"set in the environment nor in {RepoPaths.ServicesFile}. Run ./test.sh, or start the local services with " +
                "`dotnet src/Worker/bin/Release/net10.0/etl.dll dev up`.");
    }
}
