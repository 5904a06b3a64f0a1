using System.Text.RegularExpressions;
using Etl.Connectors.Kafka;
using Etl.Hosting;

namespace Etl.Samples.OrderTotals.Configuration;

/// <summary>
/// The order-total job's own settings (Etl:Kafka, Etl:Postgres, Etl:Window; the host reads the rest). Rules the
/// libraries own (Kafka source, PostgreSQL sink, window assigners) are checked by the libraries and reported
/// under the setting's key; only the job's own rules are written here. KAFKA_BOOTSTRAP_SERVERS and ETL_POSTGRES
/// (the local services' variables) fill in the connection settings when the Etl keys are absent.
/// </summary>
internal sealed partial record OrderTotalsSettings(string JobName, KafkaSettings Kafka, PostgresSettings Postgres, WindowSettings Window)
{
    /// <summary>Consumer group: <see cref="KafkaSettings.GroupId"/> or the job name.</summary>
    public string GroupId => Kafka.GroupId.Length > 0 ? Kafka.GroupId : JobName;

    /// <summary>Reads and checks the job's settings; problems go to <paramref name="reader"/>.</summary>
    public static OrderTotalsSettings Read(SettingsReader reader, string jobName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var kafka = new KafkaSettings();
        var postgres = new PostgresSettings();
        var window = new WindowSettings();
        var settings = new OrderTotalsSettings(
            jobName,
            new KafkaSettings
            {
                BootstrapServers = reader.Text("Etl:Kafka:BootstrapServers", reader.Configuration["KAFKA_BOOTSTRAP_SERVERS"] ?? kafka.BootstrapServers),
                Topic = reader.Text("Etl:Kafka:Topic", kafka.Topic),
                GroupId = reader.Text("Etl:Kafka:GroupId", kafka.GroupId),
                NativeLibrary = NativeLibrary(reader, "Etl:Kafka:NativeLibrary", kafka.NativeLibrary),
                OffsetOutOfRange = reader.Enum("Etl:Kafka:OffsetOutOfRange", kafka.OffsetOutOfRange),
                Consumer = reader.Configuration.GetSection("Etl:Kafka:Consumer").GetChildren()
                    .Where(c => c.Value is not null)
                    .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
            },
            new PostgresSettings
            {
                ConnectionString = reader.Text("Etl:Postgres:ConnectionString", reader.Configuration["ETL_POSTGRES"] ?? postgres.ConnectionString),
                Table = reader.Text("Etl:Postgres:Table", postgres.Table),
                SinkSchema = reader.Text("Etl:Postgres:SinkSchema", postgres.SinkSchema),
                BatchSize = reader.WholeNumber("Etl:Postgres:BatchSize", postgres.BatchSize),
            },
            new WindowSettings
            {
                Kind = reader.Enum("Etl:Window:Kind", window.Kind),
                Size = reader.Duration("Etl:Window:Size", window.Size),
                Slide = reader.Duration("Etl:Window:Slide", window.Slide),
                Gap = reader.Duration("Etl:Window:Gap", window.Gap),
                OutOfOrderness = reader.Duration("Etl:Window:OutOfOrderness", window.OutOfOrderness),
                AllowedLateness = reader.Duration("Etl:Window:AllowedLateness", window.AllowedLateness),
                IdleTimeout = reader.OptionalDuration("Etl:Window:IdleTimeout"),
                WatermarkInterval = reader.Duration("Etl:Window:WatermarkInterval", window.WatermarkInterval),
                MaxEventTimeAhead = reader.Duration("Etl:Window:MaxEventTimeAhead", window.MaxEventTimeAhead),
            });
        settings.Check(reader);
        return settings;
    }

    private void Check(SettingsReader reader)
    {
        if (string.IsNullOrWhiteSpace(Kafka.BootstrapServers))
        {
            reader.Problem("Etl:Kafka:BootstrapServers", "is required (host:port[,host:port...]); KAFKA_BOOTSTRAP_SERVERS is used when it is not set", 0);
        }
        else
        {
            reader.Check(
                "Etl:Kafka", () => Job.OrderTotalsJob.SourceOptions(this).Validate(),
                ("KafkaSourceOptions.Watermarks.Interval", "Etl:Window:WatermarkInterval"),
                ("KafkaSourceOptions.Watermarks.OutOfOrderness", "Etl:Window:OutOfOrderness"),
                ("KafkaSourceOptions.Watermarks.IdleTimeout", "Etl:Window:IdleTimeout"),
                ("KafkaSourceOptions.Watermarks.MaxEventTimeAhead", "Etl:Window:MaxEventTimeAhead"),
                ("KafkaSourceOptions.ConsumerConfig", "Etl:Kafka:Consumer"),
                ("KafkaSourceOptions.GroupId", "Etl:Kafka:GroupId"));
        }

        if (!TopicName().IsMatch(Kafka.Topic))
        {
            reader.Problem("Etl:Kafka:Topic", $"'{Kafka.Topic}' is not a Kafka topic name (1 to 249 letters, digits, '.', '_' or '-')", 0);
        }

        if (string.IsNullOrWhiteSpace(Postgres.ConnectionString))
        {
            reader.Problem("Etl:Postgres:ConnectionString", "is required (an Npgsql connection string); ETL_POSTGRES is used when it is not set", 0);
        }
        else
        {
            reader.Check(
                "Etl:Postgres", () => Job.OrderTotalsJob.SinkOptions(this).Validate(),
                ("PostgresSinkOptions.ConnectionString", "Etl:Postgres:ConnectionString"),
                ("PostgresSinkOptions.BatchSize", "Etl:Postgres:BatchSize"),
                ("PostgresSinkOptions.Schema", "Etl:Postgres:SinkSchema"),
                ("PostgresSinkOptions.Table.Table", "Etl:Postgres:Table"),
                ("PostgresSinkOptions.JobName", "Etl:JobName"));
        }

        CheckWindow(reader);
    }

    private void CheckWindow(SettingsReader reader)
    {
        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
            {
                reader.Problem(key, $"{SettingsReader.FormatDuration(value)} must be positive", 0);
            }
            else if (value.Ticks % TimeSpan.TicksPerMillisecond != 0)
            {
                reader.Problem(key, "must be a whole number of milliseconds", 0);
            }
        }

        Positive(Window.Size, "Etl:Window:Size");
        if (Window.Kind == WindowKind.Sliding)
        {
            Positive(Window.Slide, "Etl:Window:Slide");
            if (Window.Slide > Window.Size)
            {
                reader.Problem("Etl:Window:Slide", $"{SettingsReader.FormatDuration(Window.Slide)} must not be longer than Etl:Window:Size ({SettingsReader.FormatDuration(Window.Size)})", 0);
            }
        }

        if (Window.Kind == WindowKind.Session)
        {
            Positive(Window.Gap, "Etl:Window:Gap");
        }

        if (Window.AllowedLateness < TimeSpan.Zero)
        {
            reader.Problem("Etl:Window:AllowedLateness", $"{SettingsReader.FormatDuration(Window.AllowedLateness)} must not be negative", 0);
        }

        // At most ten years, so that the latest window an accepted order opens still ends before year 10000.
        if (Window.MaxEventTimeAhead > TimeSpan.FromDays(3650))
        {
            reader.Problem("Etl:Window:MaxEventTimeAhead", $"{SettingsReader.FormatDuration(Window.MaxEventTimeAhead)} must be at most 3650d (ten years)", 0);
        }
    }

    private static KafkaNativeLibraryChoice NativeLibrary(SettingsReader reader, string key, KafkaNativeLibraryChoice fallback)
    {
        var text = reader.Configuration[key];
        if (text is null)
        {
            return fallback;
        }

        return KafkaNativeLibraryChoice.TryParse(text, out var choice)
            ? choice
            : reader.Problem(key, $"'{text}' is not bundled, system or an absolute path to a librdkafka shared library", fallback);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}
