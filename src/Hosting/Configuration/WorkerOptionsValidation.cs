using System.Text.RegularExpressions;
using Etl.Hosting.Http;
using Etl.Pipeline.Restart;

namespace Etl.Hosting.Configuration;

/// <summary>The rules <see cref="WorkerOptions"/> must satisfy; each problem names its configuration key.</summary>
internal static partial class WorkerOptionsValidation
{
    public static void Validate(WorkerOptions options, SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reader);
        void Add(string key, string message) => reader.Problem(key, message, 0);

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

        if (options.Standby && options.FromCheckpoint.Length > 0)
        {
            Add("Etl:Standby", $"cannot be combined with Etl:FromCheckpoint ('{options.FromCheckpoint}'): a standby takes over from the newest restore point the active worker left");
        }

        if (options.Standby && options.StartFresh)
        {
            Add("Etl:Standby", "cannot be combined with Etl:StartFresh: a standby that took over from nothing would roll back and rewrite what the active worker committed");
        }

        ValidateCheckpoints(options.Checkpoints, Add);
        ValidateStorage(options.Checkpoints, reader);
        ValidateRestart(options.Restart, reader);

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

    /// <summary>The storages' own rules, reported under the settings' keys; the directory's scheme is checked when the storage is made.</summary>
    private static void ValidateStorage(CheckpointSettings checkpoints, SettingsReader reader)
    {
        reader.Check(
            "Etl:Checkpoints:S3",
            checkpoints.S3.Validate,
            ("S3StorageOptions.Endpoints:", "Etl:Checkpoints:S3:Endpoints"),
            ("S3StorageOptions.Region", "Etl:Checkpoints:S3:Region"),
            ("S3StorageOptions.Profile", "Etl:Checkpoints:S3:Profile"));
        reader.Check(
            "Etl:Checkpoints:Hdfs",
            checkpoints.Hdfs.Validate,
            ("WebHdfsStorageOptions.ConfDirectory:", "Etl:Checkpoints:Hdfs:ConfDir"),
            ("WebHdfsStorageOptions.User", "Etl:Checkpoints:Hdfs:User"));
    }

    private static void ValidateRestart(RestartStrategyOptions restart, SettingsReader reader) =>
        reader.Check("Etl:Restart", restart.Validate);

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
}
