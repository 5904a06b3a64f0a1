namespace Etl.Tests.Integration.Sink;

/// <summary>
/// The PostgreSQL the sink tests use: env ETL_POSTGRES, else the ETL_POSTGRES line of .local/services.env
/// (written by <c>etl dev up</c>). These tests need PostgreSQL only, not Kafka.
/// </summary>
internal static class SinkDatabase
{
    private static readonly Lazy<string> Loaded = new(Load);

    public static string ConnectionString => Loaded.Value;

    private static string Load()
    {
        var value = Environment.GetEnvironmentVariable("ETL_POSTGRES");
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, ".local", "services.env");
            if (File.Exists(Path.Combine(dir.FullName, "Etl.sln")) && File.Exists(file))
            {
                var line = File.ReadAllLines(file).FirstOrDefault(l => l.StartsWith("ETL_POSTGRES=", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line["ETL_POSTGRES=".Length..].Trim().Trim('"');
                }
            }
        }

        throw new InvalidOperationException(
            "The PostgreSQL sink tests need PostgreSQL (max_prepared_transactions > 0): set ETL_POSTGRES to an Npgsql " +
            "connection string, or run ./test.sh (or `etl dev up`) so that .local/services.env names it.");
    }
}
