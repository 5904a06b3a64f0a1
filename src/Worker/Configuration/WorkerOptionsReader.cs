using System.Globalization;
using Etl.CheckpointStorage.S3;
using Etl.CheckpointStorage.WebHdfs;
using Etl.Connectors.Kafka;
using Etl.Worker.Http;
using Microsoft.Extensions.Configuration;

namespace Etl.Worker.Configuration;

/// <summary>
/// Reads <see cref="WorkerOptions"/> from configuration section <c>Etl</c> and validates it. Every problem
/// is collected and reported together, each naming its key (<c>Etl:Window:Size</c>), so a bad start-up
/// says everything that is wrong at once. KAFKA_BOOTSTRAP_SERVERS and ETL_POSTGRES (the local services'
/// variables) fill in the connection settings when the Etl keys are absent, and ETL_HTTP_TOKEN the control token.
/// </summary>
internal sealed class WorkerOptionsReader
{
    private readonly IConfiguration _root;
    private readonly List<string> _problems = [];

    private WorkerOptionsReader(IConfiguration root) => _root = root;

    /// <summary>Throws <see cref="WorkerOptionsException"/> listing every bad setting.</summary>
    public static WorkerOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var reader = new WorkerOptionsReader(configuration);
        var options = reader.ReadAll();
        WorkerOptionsValidation.Validate(options, reader._problems);
        return reader._problems.Count > 0 ? throw new WorkerOptionsException(reader._problems) : options;
    }

    private WorkerOptions ReadAll()
    {
        var d = new WorkerOptions();
        return new WorkerOptions
        {
            JobName = Text("Etl:JobName", d.JobName),
            Parallelism = Int("Etl:Parallelism", d.Parallelism),
            MaxParallelism = Int("Etl:MaxParallelism", d.MaxParallelism),
            FromCheckpoint = Text("Etl:FromCheckpoint", d.FromCheckpoint),
            AllowNonRestoredState = Bool("Etl:AllowNonRestoredState", d.AllowNonRestoredState),
            StartFresh = Bool("Etl:StartFresh", d.StartFresh),
            StopAtEnd = Bool("Etl:StopAtEnd", d.StopAtEnd),
            Kafka = ReadKafka(d.Kafka),
            Postgres = ReadPostgres(d.Postgres),
            Window = ReadWindow(d.Window),
            Checkpoints = ReadCheckpoints(d.Checkpoints),
            Restart = ReadRestart(d.Restart),
            Http = new HttpSettings
            {
                Port = Int("Etl:Http:Port", d.Http.Port),
                Host = Text("Etl:Http:Host", d.Http.Host),
                ControlToken = Text("Etl:Http:ControlToken", _root[ControlAccess.TokenVariable] ?? d.Http.ControlToken),
            },
        };
    }

    private KafkaSettings ReadKafka(KafkaSettings d) => new()
    {
        BootstrapServers = Text("Etl:Kafka:BootstrapServers", _root["KAFKA_BOOTSTRAP_SERVERS"] ?? d.BootstrapServers),
        Topic = Text("Etl:Kafka:Topic", d.Topic),
        GroupId = Text("Etl:Kafka:GroupId", d.GroupId),
        NativeLibrary = NativeLibrary("Etl:Kafka:NativeLibrary", d.NativeLibrary),
        OffsetOutOfRange = Enum("Etl:Kafka:OffsetOutOfRange", d.OffsetOutOfRange),
        Consumer = _root.GetSection("Etl:Kafka:Consumer").GetChildren()
            .Where(c => c.Value is not null)
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
    };

    private PostgresSettings ReadPostgres(PostgresSettings d) => new()
    {
        ConnectionString = Text("Etl:Postgres:ConnectionString", _root["ETL_POSTGRES"] ?? d.ConnectionString),
        Table = Text("Etl:Postgres:Table", d.Table),
        SinkSchema = Text("Etl:Postgres:SinkSchema", d.SinkSchema),
        BatchSize = Int("Etl:Postgres:BatchSize", d.BatchSize),
    };

    private WindowSettings ReadWindow(WindowSettings d) => new()
    {
        Kind = Enum("Etl:Window:Kind", d.Kind),
        Size = Duration("Etl:Window:Size", d.Size),
        Slide = Duration("Etl:Window:Slide", d.Slide),
        Gap = Duration("Etl:Window:Gap", d.Gap),
        OutOfOrderness = Duration("Etl:Window:OutOfOrderness", d.OutOfOrderness),
        AllowedLateness = Duration("Etl:Window:AllowedLateness", d.AllowedLateness),
        IdleTimeout = OptionalDuration("Etl:Window:IdleTimeout"),
        WatermarkInterval = Duration("Etl:Window:WatermarkInterval", d.WatermarkInterval),
        MaxEventTimeAhead = Duration("Etl:Window:MaxEventTimeAhead", d.MaxEventTimeAhead),
    };

    private CheckpointSettings ReadCheckpoints(CheckpointSettings d)
    {
        var retention = Text("Etl:Checkpoints:Retention", "retain-on-cancellation").Trim().ToLowerInvariant();
        var delete = retention switch
        {
            "retain-on-cancellation" or "retain" => false,
            "delete-on-cancellation" or "delete" => true,
            _ => Problem("Etl:Checkpoints:Retention", $"'{retention}' is not a retention; use retain-on-cancellation or delete-on-cancellation", false),
        };
        return new CheckpointSettings
        {
            Interval = Duration("Etl:Checkpoints:Interval", d.Interval),
            Timeout = Duration("Etl:Checkpoints:Timeout", d.Timeout),
            MinPause = Duration("Etl:Checkpoints:MinPause", d.MinPause),
            TolerableFailures = Int("Etl:Checkpoints:TolerableFailures", d.TolerableFailures),
            Directory = Text("Etl:Checkpoints:Directory", d.Directory),
            SavepointDirectory = Text("Etl:Checkpoints:SavepointDirectory", d.SavepointDirectory),
            NumRetained = Int("Etl:Checkpoints:NumRetained", d.NumRetained),
            DeleteOnCancellation = delete,
            Mode = Enum("Etl:Checkpoints:Mode", d.Mode),
            S3 = new S3StorageOptions(
                Endpoints: Text("Etl:Checkpoints:S3:Endpoints", _root["ETL_S3_ENDPOINTS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                ForcePathStyle: _root["Etl:Checkpoints:S3:PathStyle"] is null ? null : Bool("Etl:Checkpoints:S3:PathStyle", false),
                Region: _root["Etl:Checkpoints:S3:Region"]?.Trim(),
                Profile: _root["Etl:Checkpoints:S3:Profile"]?.Trim()),
            Hdfs = new WebHdfsStorageOptions(
                ConfDirectory: _root["Etl:Checkpoints:Hdfs:ConfDir"]?.Trim(),
                Properties: _root.GetSection("Etl:Checkpoints:Hdfs:Properties").GetChildren()
                    .Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
                User: _root["Etl:Checkpoints:Hdfs:User"]?.Trim()),
        };
    }

    private RestartSettings ReadRestart(RestartSettings d) => new()
    {
        Strategy = Text("Etl:Restart:Strategy", d.Strategy),
        Attempts = Int("Etl:Restart:Attempts", d.Attempts),
        Delay = Duration("Etl:Restart:Delay", d.Delay),
        InitialBackoff = Duration("Etl:Restart:InitialBackoff", d.InitialBackoff),
        MaxBackoff = Duration("Etl:Restart:MaxBackoff", d.MaxBackoff),
        MaxFailuresPerInterval = Int("Etl:Restart:MaxFailuresPerInterval", d.MaxFailuresPerInterval),
        FailureRateInterval = Duration("Etl:Restart:FailureRateInterval", d.FailureRateInterval),
    };

    private string Text(string key, string fallback) => _root[key] is { } value ? value.Trim() : fallback;

    private int Int(string key, int fallback)
    {
        var text = _root[key];
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : Problem(key, $"'{text}' is not a whole number", fallback);
    }

    private bool Bool(string key, bool fallback)
    {
        var text = _root[key];
        if (text is null)
        {
            return fallback;
        }

        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => Problem(key, $"'{text}' is not true or false", fallback),
        };
    }

    private TimeSpan Duration(string key, TimeSpan fallback)
    {
        var text = _root[key];
        if (text is null)
        {
            return fallback;
        }

        return SettingParsers.TryParseDuration(text, out var value)
            ? value
            : Problem(key, $"'{text}' is not a duration (examples: 500ms, 10s, 5min, 1h, 00:01:00)", fallback);
    }

    private TimeSpan? OptionalDuration(string key)
    {
        var text = _root[key];
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return SettingParsers.TryParseDuration(text, out var value)
            ? value
            : Problem<TimeSpan?>(key, $"'{text}' is not a duration (examples: 500ms, 10s, 5min) or none", null);
    }

    private KafkaNativeLibraryChoice NativeLibrary(string key, KafkaNativeLibraryChoice fallback)
    {
        var text = _root[key];
        if (text is null)
        {
            return fallback;
        }

        return KafkaNativeLibraryChoice.TryParse(text, out var choice)
            ? choice
            : Problem(key, $"'{text}' is not bundled, system or an absolute path to a librdkafka shared library", fallback);
    }

    private TEnum Enum<TEnum>(string key, TEnum fallback)
        where TEnum : struct, Enum
    {
        var text = _root[key];
        if (text is null)
        {
            return fallback;
        }

        if (SettingParsers.TryParseEnum<TEnum>(text, out var value))
        {
            return value;
        }

        var allowed = string.Join(", ", System.Enum.GetValues<TEnum>().Select(SettingParsers.Kebab));
        return Problem(key, $"'{text}' is not one of {allowed}", fallback);
    }

    private T Problem<T>(string key, string message, T fallback)
    {
        _problems.Add($"{key}: {message}.");
        return fallback;
    }
}
