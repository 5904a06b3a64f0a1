using System.Text.RegularExpressions;
using Etl.Connectors.Kafka;
using Etl.Worker.Http;
using Npgsql;

namespace Etl.Worker.Configuration;

/// <summary>The rules <see cref="WorkerOptions"/> must satisfy; each problem names its configuration key.</summary>
internal static partial class WorkerOptionsValidation
{
    public static IReadOnlyList<string> Problems(WorkerOptions options)
    {
        var problems = new List<string>();
        Validate(options, problems);
        return problems;
    }

    public static void Validate(WorkerOptions options, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        void Add(string key, string message) => problems.Add($"{key}: {message}.");

        if (!JobName().IsMatch(options.JobName))
        {
            Add("Etl:JobName", $"'{options.JobName}' must be 1 to 80 letters, digits, '.', '_' or '-' (it names checkpoint directories and transaction ids)");
        }

        if (options.MaxParallelism is < 1 or > 32_768)
        {
            Add("Etl:MaxParallelism", $"{options.MaxParallelism} must be between 1 and 32768");
        }

        if (options.Parallelism < 1 || options.Parallelism > Math.Max(1, options.MaxParallelism))
        {
            Add("Etl:Parallelism", $"{options.Parallelism} must be between 1 and Etl:MaxParallelism ({options.MaxParallelism})");
        }

        if (options.StartFresh && options.FromCheckpoint.Length > 0)
        {
            Add("Etl:StartFresh", $"cannot be combined with Etl:FromCheckpoint ('{options.FromCheckpoint}'): restore a point, or start from nothing");
        }

        ValidateKafka(options.Kafka, Add);
        ValidatePostgres(options.Postgres, Add);
        ValidateWindow(options.Window, Add);
        ValidateCheckpoints(options.Checkpoints, Add);
        ValidateRestart(options.Restart, Add);

        ValidateHttp(options.Http, Add);
    }

    private static void ValidateHttp(HttpSettings http, Action<string, string> add)
    {
        if (http.Port is < -1 or > 65_535)
        {
            add("Etl:Http:Port", $"{http.Port} must be a port (0 picks a free one, -1 disables the endpoint)");
        }

        if (!ListenAddress.TryParse(http.Host, out _))
        {
            add("Etl:Http:Host", $"'{http.Host}' must be an IP address to listen on or localhost (127.0.0.1, the default, serves this machine only; 0.0.0.0 or :: every interface, e.g. in a container)");
        }

        // Never echo the token: the message goes to logs and terminals.
        if (http.ControlToken.Length > 0 && !ControlAccess.IsWellFormedToken(http.ControlToken))
        {
            add("Etl:Http:ControlToken", $"must be at least {ControlAccess.MinimumTokenLength} characters of letters, digits and - . _ ~ + / (optionally ending in =), as sent in 'Authorization: Bearer <token>'; {ControlAccess.TokenVariable} sets it too");
        }
    }

    private static void ValidateKafka(KafkaSettings kafka, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(kafka.BootstrapServers))
        {
            add("Etl:Kafka:BootstrapServers", "is required (host:port[,host:port...]); KAFKA_BOOTSTRAP_SERVERS is used when it is not set");
        }

        if (!TopicName().IsMatch(kafka.Topic))
        {
            add("Etl:Kafka:Topic", $"'{kafka.Topic}' is not a Kafka topic name (1 to 249 letters, digits, '.', '_' or '-')");
        }

        foreach (var owned in KafkaConsumerSettings.OwnedKeys)
        {
            if (kafka.Consumer.ContainsKey(owned))
            {
                add($"Etl:Kafka:Consumer:{owned}", "is owned by the source (offsets live in checkpoints); use Etl:Kafka:BootstrapServers, Etl:Kafka:GroupId or Etl:Kafka:OffsetOutOfRange");
            }
        }
    }

    private static void ValidatePostgres(PostgresSettings postgres, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(postgres.ConnectionString))
        {
            add("Etl:Postgres:ConnectionString", "is required (an Npgsql connection string); ETL_POSTGRES is used when it is not set");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
            }
            catch (ArgumentException e)
            {
                add("Etl:Postgres:ConnectionString", $"is not a valid Npgsql connection string ({e.Message})");
            }
        }

        if (!QualifiedIdentifier().IsMatch(postgres.Table))
        {
            add("Etl:Postgres:Table", $"'{postgres.Table}' must be a plain table name, optionally schema-qualified (schema.table)");
        }

        if (!Identifier().IsMatch(postgres.SinkSchema))
        {
            add("Etl:Postgres:SinkSchema", $"'{postgres.SinkSchema}' must be a plain identifier (letters, digits, '_')");
        }

        if (postgres.BatchSize is < 1 or > 1_000_000)
        {
            add("Etl:Postgres:BatchSize", $"{postgres.BatchSize} must be between 1 and 1000000");
        }
    }

    private static void ValidateWindow(WindowSettings window, Action<string, string> add)
    {
        Positive(window.Size, "Etl:Window:Size", add);
        if (window.Kind == WindowKind.Sliding)
        {
            Positive(window.Slide, "Etl:Window:Slide", add);
            if (window.Slide > window.Size)
            {
                add("Etl:Window:Slide", $"{SettingParsers.FormatDuration(window.Slide)} must not be longer than Etl:Window:Size ({SettingParsers.FormatDuration(window.Size)})");
            }
        }

        if (window.Kind == WindowKind.Session)
        {
            Positive(window.Gap, "Etl:Window:Gap", add);
        }

        NotNegative(window.OutOfOrderness, "Etl:Window:OutOfOrderness", add);
        NotNegative(window.AllowedLateness, "Etl:Window:AllowedLateness", add);
        // The Kafka source's own bounds (KafkaWatermarkOptions.Interval), checked here so the key is named.
        if (window.WatermarkInterval <= TimeSpan.Zero || window.WatermarkInterval > TimeSpan.FromMinutes(1))
        {
            add("Etl:Window:WatermarkInterval", $"{SettingParsers.FormatDuration(window.WatermarkInterval)} must be positive and at most 1min");
        }
        if (window.IdleTimeout is { } idle)
        {
            Positive(idle, "Etl:Window:IdleTimeout", add);
        }

        // At most ten years, so that the latest window an accepted order opens still ends before year 10000.
        Positive(window.MaxEventTimeAhead, "Etl:Window:MaxEventTimeAhead", add);
        if (window.MaxEventTimeAhead > TimeSpan.FromDays(3650))
        {
            add("Etl:Window:MaxEventTimeAhead", $"{SettingParsers.FormatDuration(window.MaxEventTimeAhead)} must be at most 3650d (ten years)");
        }
    }

    private static void ValidateCheckpoints(CheckpointSettings checkpoints, Action<string, string> add)
    {
        Positive(checkpoints.Interval, "Etl:Checkpoints:Interval", add);
        Positive(checkpoints.Timeout, "Etl:Checkpoints:Timeout", add);
        NotNegative(checkpoints.MinPause, "Etl:Checkpoints:MinPause", add);
        if (checkpoints.TolerableFailures < 0)
        {
            add("Etl:Checkpoints:TolerableFailures", $"{checkpoints.TolerableFailures} must not be negative");
        }

        if (string.IsNullOrWhiteSpace(checkpoints.Directory))
        {
            add("Etl:Checkpoints:Directory", "must name a directory (a path, file://, s3://bucket/prefix or hdfs://nameservice/path)");
        }

        if (checkpoints.NumRetained < 1)
        {
            add("Etl:Checkpoints:NumRetained", $"{checkpoints.NumRetained} must be at least 1");
        }

        // The storage library's own checks, reported under the setting's key.
        foreach (var (key, validate) in new (string, Action)[] { ("Etl:Checkpoints:S3", checkpoints.S3.Validate), ("Etl:Checkpoints:Hdfs", checkpoints.Hdfs.Validate) })
        {
            try
            {
                validate();
            }
            catch (ArgumentException e)
            {
                add($"{key}:{e.ParamName}", e.Message);
            }
        }
    }

    private static void ValidateRestart(RestartSettings restart, Action<string, string> add)
    {
        var strategy = restart.Strategy.Trim().ToLowerInvariant();
        if (strategy is not ("none" or "disable" or "fixed-delay" or "exponential-delay" or "failure-rate"))
        {
            add("Etl:Restart:Strategy", $"'{restart.Strategy}' is not one of none, fixed-delay, exponential-delay, failure-rate");
        }

        if (restart.Attempts < 0)
        {
            add("Etl:Restart:Attempts", $"{restart.Attempts} must not be negative");
        }

        NotNegative(restart.Delay, "Etl:Restart:Delay", add);
        Positive(restart.InitialBackoff, "Etl:Restart:InitialBackoff", add);
        if (restart.MaxBackoff < restart.InitialBackoff)
        {
            add("Etl:Restart:MaxBackoff", $"{SettingParsers.FormatDuration(restart.MaxBackoff)} must be at least Etl:Restart:InitialBackoff ({SettingParsers.FormatDuration(restart.InitialBackoff)})");
        }

        if (restart.MaxFailuresPerInterval < 1)
        {
            add("Etl:Restart:MaxFailuresPerInterval", $"{restart.MaxFailuresPerInterval} must be at least 1");
        }

        Positive(restart.FailureRateInterval, "Etl:Restart:FailureRateInterval", add);
    }

    private static void Positive(TimeSpan value, string key, Action<string, string> add)
    {
        if (value <= TimeSpan.Zero)
        {
            add(key, $"{SettingParsers.FormatDuration(value)} must be positive");
        }
        else if (value.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            add(key, "must be a whole number of milliseconds");
        }
    }

    private static void NotNegative(TimeSpan value, string key, Action<string, string> add)
    {
        if (value < TimeSpan.Zero)
        {
            add(key, $"{SettingParsers.FormatDuration(value)} must not be negative");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,80}$")]
    private static partial Regex JobName();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,249}$")]
    private static partial Regex TopicName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$")]
    private static partial Regex QualifiedIdentifier();
}
