using Etl.CheckpointStorage.S3;
using Etl.CheckpointStorage.WebHdfs;
using Etl.Hosting.Http;
using Etl.Pipeline.Restart;

namespace Etl.Hosting.Configuration;

/// <summary>
/// Reads the host's <see cref="WorkerOptions"/> from configuration section <c>Etl</c> and validates it; problems
/// go to the <see cref="SettingsReader"/>, each naming its key, so a bad start-up says everything that is wrong
/// at once. ETL_HTTP_TOKEN fills in the control token when Etl:Http:ControlToken is absent.
/// </summary>
internal static class WorkerOptionsReader
{
    /// <summary>Reads and validates; every problem is added to <paramref name="reader"/>.</summary>
    public static WorkerOptions Read(SettingsReader reader, string defaultJobName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var d = new WorkerOptions { JobName = defaultJobName };
        var options = new WorkerOptions
        {
            JobName = reader.Text("Etl:JobName", d.JobName),
            Parallelism = reader.WholeNumber("Etl:Parallelism", d.Parallelism),
            MaxParallelism = reader.WholeNumber("Etl:MaxParallelism", d.MaxParallelism),
            FromCheckpoint = reader.Text("Etl:FromCheckpoint", d.FromCheckpoint),
            AllowNonRestoredState = reader.Bool("Etl:AllowNonRestoredState", d.AllowNonRestoredState),
            StartFresh = reader.Bool("Etl:StartFresh", d.StartFresh),
            StopAtEnd = reader.Bool("Etl:StopAtEnd", d.StopAtEnd),
            Standby = reader.Bool("Etl:Standby", d.Standby),
            Checkpoints = ReadCheckpoints(reader, d.Checkpoints),
            Restart = ReadRestart(reader, d.Restart),
            Http = new HttpSettings
            {
                Port = reader.WholeNumber("Etl:Http:Port", d.Http.Port),
                Host = reader.Text("Etl:Http:Host", d.Http.Host),
                ControlToken = reader.Text("Etl:Http:ControlToken", reader.Configuration[ControlAccess.TokenVariable] ?? d.Http.ControlToken),
            },
        };
        WorkerOptionsValidation.Validate(options, reader);
        return options;
    }

    /// <summary>Throws <see cref="WorkerOptionsException"/> listing every bad setting (tests, and callers without a job).</summary>
    public static WorkerOptions Read(Microsoft.Extensions.Configuration.IConfiguration configuration, string defaultJobName = "job")
    {
        var reader = new SettingsReader(configuration);
        var options = Read(reader, defaultJobName);
        return reader.Problems.Count > 0 ? throw new WorkerOptionsException(reader.Problems) : options;
    }

    private static CheckpointSettings ReadCheckpoints(SettingsReader reader, CheckpointSettings d)
    {
        var retention = reader.Text("Etl:Checkpoints:Retention", "retain-on-cancellation").Trim().ToLowerInvariant();
        var delete = retention switch
        {
            "retain-on-cancellation" or "retain" => false,
            "delete-on-cancellation" or "delete" => true,
            _ => reader.Problem("Etl:Checkpoints:Retention", $"'{retention}' is not a retention; use retain-on-cancellation or delete-on-cancellation", false),
        };
        return new CheckpointSettings
        {
            Interval = reader.Duration("Etl:Checkpoints:Interval", d.Interval),
            Timeout = reader.Duration("Etl:Checkpoints:Timeout", d.Timeout),
            MinPause = reader.Duration("Etl:Checkpoints:MinPause", d.MinPause),
            TolerableFailures = reader.WholeNumber("Etl:Checkpoints:TolerableFailures", d.TolerableFailures),
            Directory = reader.Text("Etl:Checkpoints:Directory", d.Directory),
            SavepointDirectory = reader.Text("Etl:Checkpoints:SavepointDirectory", d.SavepointDirectory),
            NumRetained = reader.WholeNumber("Etl:Checkpoints:NumRetained", d.NumRetained),
            DeleteOnCancellation = delete,
            Mode = reader.Enum("Etl:Checkpoints:Mode", d.Mode),
            S3 = ReadS3(reader, d.S3),
            Hdfs = ReadHdfs(reader, d.Hdfs),
        };
    }

    /// <summary>
    /// Etl:Checkpoints:S3 (endpoints default to ETL_S3_ENDPOINTS, as <c>etl dev up</c> writes them); credentials come the
    /// standard AWS way (environment, profile), never from here.
    /// </summary>
    private static S3StorageOptions ReadS3(SettingsReader reader, S3StorageOptions d) => new(
        Endpoints: List(reader, "Etl:Checkpoints:S3:Endpoints") ?? List(reader, "ETL_S3_ENDPOINTS") ?? d.Endpoints,
        ForcePathStyle: reader.Configuration["Etl:Checkpoints:S3:PathStyle"] is null ? d.ForcePathStyle : reader.Bool("Etl:Checkpoints:S3:PathStyle", false),
        Region: reader.Configuration["Etl:Checkpoints:S3:Region"] ?? d.Region,
        Profile: reader.Configuration["Etl:Checkpoints:S3:Profile"] ?? d.Profile);

    /// <summary>Etl:Checkpoints:Hdfs; Hadoop keys go under Etl:Checkpoints:Hdfs:Properties (they win over hdfs-site.xml).</summary>
    private static WebHdfsStorageOptions ReadHdfs(SettingsReader reader, WebHdfsStorageOptions d)
    {
        var properties = reader.Configuration.GetSection("Etl:Checkpoints:Hdfs:Properties").GetChildren()
            .Where(c => c.Value is not null)
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
        return d with
        {
            ConfDirectory = reader.Configuration["Etl:Checkpoints:Hdfs:ConfDir"] ?? d.ConfDirectory,
            Properties = properties.Count > 0 ? properties : d.Properties,
            User = reader.Configuration["Etl:Checkpoints:Hdfs:User"] ?? d.User,
        };
    }

    /// <summary>A list written comma-separated (<c>a,b</c>, as an environment variable) or as a JSON array; null when absent.</summary>
    private static List<string>? List(SettingsReader reader, string key)
    {
        var section = reader.Configuration.GetSection(key);
        var items = section.Value is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value?.Trim() ?? "").Where(v => v.Length > 0).ToArray();
        return section.Value is null && items.Length == 0 ? null : [.. items];
    }

    /// <summary>Etl:Restart straight into the runtime's <see cref="RestartStrategyOptions"/>: its names and rules are the runtime's.</summary>
    private static RestartStrategyOptions ReadRestart(SettingsReader reader, RestartStrategyOptions d)
    {
        var kind = d.Kind;
        if (reader.Configuration["Etl:Restart:Strategy"] is { } strategy)
        {
            reader.Check("Etl:Restart:Strategy", () => kind = RestartStrategyOptions.ParseKind(strategy));
        }

        return new RestartStrategyOptions
        {
            Kind = kind,
            FixedDelay = new FixedDelayRestartOptions
            {
                Attempts = reader.WholeNumber("Etl:Restart:Attempts", d.FixedDelay.Attempts),
                Delay = reader.Duration("Etl:Restart:Delay", d.FixedDelay.Delay),
            },
            ExponentialDelay = new ExponentialDelayRestartOptions
            {
                InitialBackoff = reader.Duration("Etl:Restart:InitialBackoff", d.ExponentialDelay.InitialBackoff),
                MaxBackoff = reader.Duration("Etl:Restart:MaxBackoff", d.ExponentialDelay.MaxBackoff),
            },
            FailureRate = new FailureRateRestartOptions
            {
                MaxFailuresPerInterval = reader.WholeNumber("Etl:Restart:MaxFailuresPerInterval", d.FailureRate.MaxFailuresPerInterval),
                FailureRateInterval = reader.Duration("Etl:Restart:FailureRateInterval", d.FailureRate.FailureRateInterval),
                Delay = reader.Duration("Etl:Restart:Delay", d.FailureRate.Delay),
            },
        };
    }
}
