using System.Text;

namespace Etl.DevServices;

/// <summary>
/// The shell-sourceable <c>.local/services.env</c> written by <c>etl dev up</c>: KEY='value' lines.
/// Values are single-quoted because an Npgsql connection string contains semicolons.
/// </summary>
internal static class ServicesFile
{
    public const string KafkaBootstrapServers = "KAFKA_BOOTSTRAP_SERVERS";
    public const string KafkaControl = "ETL_KAFKA_CONTROL";
    public const string KafkaPid = "ETL_KAFKA_PID";
    public const string Postgres = "ETL_POSTGRES";
    public const string PostgresDirectory = "ETL_POSTGRES_DIR";
    public const string PostgresPort = "ETL_POSTGRES_PORT";

    /// <summary>Comma-separated S3 endpoints (several gateways of one store); set from outside, nothing is started.</summary>
    public const string S3Endpoints = "ETL_S3_ENDPOINTS";
    public const string S3Bucket = "ETL_S3_BUCKET";
    public const string S3Directory = "ETL_S3_DIR";
    public const string S3AccessKey = "AWS_ACCESS_KEY_ID";
    public const string S3SecretKey = "AWS_SECRET_ACCESS_KEY";

    public static string Format(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = new StringBuilder("# Written by `etl dev up`; removed by `etl dev down`. Source it with: set -a; . .local/services.env; set +a\n");
        foreach (var (key, value) in values)
        {
            text.Append(key).Append("='").Append(value.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        return text.ToString();
    }

    public static Dictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || eq <= 0)
            {
                continue;
            }

            var value = line[(eq + 1)..];
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
            {
                value = value[1..^1].Replace("'\\''", "'", StringComparison.Ordinal);
            }

            values[line[..eq]] = value;
        }

        return values;
    }

    public static Dictionary<string, string> ReadOrEmpty(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : new Dictionary<string, string>(StringComparer.Ordinal);

    public static async Task WriteAsync(string path, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, Format(values), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }
}
