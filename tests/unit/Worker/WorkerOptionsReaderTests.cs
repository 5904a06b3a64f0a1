using Etl.Hosting;
using Etl.Hosting.Configuration;
using Etl.Pipeline.Checkpointing;
using Etl.Samples.OrderTotals.Configuration;
using Etl.Samples.OrderTotals.Job;
using Microsoft.Extensions.Configuration;

namespace Etl.Tests.Unit.Worker;

public class WorkerOptionsReaderTests
{
    private static readonly Dictionary<string, string?> Required = new()
    {
        ["Etl:Kafka:BootstrapServers"] = "127.0.0.1:9092",
        ["Etl:Postgres:ConnectionString"] = "Host=127.0.0.1;Username=etl",
    };

    /// <summary>The host's and the order-total job's settings, read from one configuration as <c>etl run</c> reads them.</summary>
    private sealed record Settings(WorkerOptions Host, OrderTotalsSettings Job)
    {
        public string JobName => Host.JobName;

        public CheckpointSettings Checkpoints => Host.Checkpoints;

        public HttpSettings Http => Host.Http;

        public string SavepointDirectory => Host.SavepointDirectory;

        public KafkaSettings Kafka => Job.Kafka;

        public PostgresSettings Postgres => Job.Postgres;

        public WindowSettings Window => Job.Window;

        public string GroupId => Job.GroupId;
    }

    private static Settings ReadAll(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var host = WorkerOptionsReader.Read(reader, OrderTotalsJob.DefaultName);
        var job = OrderTotalsSettings.Read(reader, host.JobName);
        return reader.Problems.Count > 0 ? throw new WorkerOptionsException(reader.Problems) : new Settings(host, job);
    }

    private static Settings Read(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>(Required);
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return ReadAll(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    private static IReadOnlyList<string> Problems(params (string Key, string? Value)[] settings) =>
        Assert.Throws<WorkerOptionsException>(() => Read(settings)).Problems;

    [Fact]
    public void Read_OnlyConnections_GivesTheDocumentedDefaults()
    {
        var options = Read();

        Assert.Equal(OrderTotalsJob.DefaultName, options.JobName);
        Assert.Equal(WindowKind.Tumbling, options.Window.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Window.Size);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Checkpoints.Interval);
        Assert.Equal(CheckpointingMode.ExactlyOnce, options.Checkpoints.Mode);
        Assert.Equal("order-totals", options.GroupId);
        Assert.Equal(Path.Combine("checkpoints", "savepoints"), options.SavepointDirectory);
    }

    [Fact]
    public void Read_FlinkStyleValues_AreParsed()
    {
        var options = Read(
            ("Etl:Window:Kind", "sliding"), ("Etl:Window:Size", "10 min"), ("Etl:Window:Slide", "30s"),
            ("Etl:Checkpoints:Interval", "500ms"), ("Etl:Checkpoints:Mode", "AT_LEAST_ONCE"),
            ("Etl:Checkpoints:Retention", "delete-on-cancellation"), ("Etl:Window:IdleTimeout", "none"), ("Etl:Window:WatermarkInterval", "50ms"));

        Assert.Equal(WindowKind.Sliding, options.Window.Kind);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Window.Size);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Window.Slide);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Checkpoints.Interval);
        Assert.Equal(CheckpointingMode.AtLeastOnce, options.Checkpoints.Mode);
        Assert.True(options.Checkpoints.DeleteOnCancellation);
        Assert.Null(options.Window.IdleTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.Window.WatermarkInterval);
    }

    [Fact]
    public void Read_LocalServiceVariables_FillInTheConnections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KAFKA_BOOTSTRAP_SERVERS"] = "k:1",
            ["ETL_POSTGRES"] = "Host=p",
        }).Build();

        var options = ReadAll(configuration);

        Assert.Equal("k:1", options.Kafka.BootstrapServers);
        Assert.Equal("Host=p", options.Postgres.ConnectionString);
    }

    [Fact]
    public void Read_SeveralBadSettings_NamesEachKey()
    {
        var problems = Problems(
            ("Etl:Window:Size", "5x"), ("Etl:Parallelism", "zero"), ("Etl:Checkpoints:Mode", "twice"),
            ("Etl:JobName", "a:b"), ("Etl:Http:Host", "metrics.example.com"));

        Assert.Contains(problems, p => p.StartsWith("Etl:Window:Size:", StringComparison.Ordinal) && p.Contains("'5x'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Etl:Parallelism:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Etl:Checkpoints:Mode:", StringComparison.Ordinal) && p.Contains("exactly-once", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Etl:JobName:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Etl:Http:Host:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Etl:Window:Size", "0", "Etl:Window:Size")]
    [InlineData("Etl:Window:WatermarkInterval", "0", "Etl:Window:WatermarkInterval")]
    [InlineData("Etl:Window:WatermarkInterval", "2min", "Etl:Window:WatermarkInterval")]
    [InlineData("Etl:Checkpoints:Interval", "-1s", "Etl:Checkpoints:Interval")]
    [InlineData("Etl:Checkpoints:NumRetained", "0", "Etl:Checkpoints:NumRetained")]
    [InlineData("Etl:Kafka:Topic", "bad topic", "Etl:Kafka:Topic")]
    [InlineData("Etl:Postgres:Table", "drop table;", "Etl:Postgres:Table")]
    [InlineData("Etl:Restart:Strategy", "sometimes", "Etl:Restart:Strategy")]
    [InlineData("Etl:Kafka:Consumer:group.id", "x", "Etl:Kafka:Consumer")]
    [InlineData("Etl:Postgres:ConnectionString", "Host=x;Nonsense=1", "Etl:Postgres:ConnectionString")]
    public void Read_BadSetting_IsReportedUnderItsKey(string key, string value, string reportedKey)
    {
        Assert.Contains(Problems((key, value)), p => p.StartsWith(reportedKey + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SlideLongerThanSize_IsRejectedForSlidingWindows()
    {
        Assert.Contains(Problems(("Etl:Window:Kind", "sliding"), ("Etl:Window:Size", "10s"), ("Etl:Window:Slide", "1min")), p => p.StartsWith("Etl:Window:Slide:", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_MissingConnections_SaysWhichVariablesWouldDo()
    {
        var problems = Assert.Throws<WorkerOptionsException>(() => ReadAll(new ConfigurationBuilder().Build())).Problems;

        Assert.Contains(problems, p => p.StartsWith("Etl:Kafka:BootstrapServers:", StringComparison.Ordinal) && p.Contains("KAFKA_BOOTSTRAP_SERVERS", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Etl:Postgres:ConnectionString:", StringComparison.Ordinal) && p.Contains("ETL_POSTGRES", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("[::1]")]
    [InlineData("localhost")]
    [InlineData("10.1.2.3")]
    public void Read_HttpHostAnyIpAddressOrLocalhost_IsAccepted(string host)
    {
        Assert.Equal(host, Read(("Etl:Http:Host", host)).Http.Host);
    }

    [Fact]
    public void Read_HttpDefaults_AreLoopbackWithoutToken()
    {
        var http = Read().Http;

        Assert.Equal("127.0.0.1", http.Host);
        Assert.Equal(9249, http.Port);
        Assert.Equal("", http.ControlToken);
    }

    [Fact]
    public void Read_ControlTokenFromTheVariable_IsUsedWhenTheKeyIsAbsent()
    {
        Assert.Equal("from-the-variable-0123", Read(("ETL_HTTP_TOKEN", "from-the-variable-0123")).Http.ControlToken);
        Assert.Equal("from-the-key-0123456", Read(("ETL_HTTP_TOKEN", "from-the-variable-0123"), ("Etl:Http:ControlToken", "from-the-key-0123456")).Http.ControlToken);
    }

    [Theory]
    [InlineData("short-token")]
    [InlineData("has spaces in the middle")]
    [InlineData("quote\"d-token-0123456789")]
    public void Read_BadControlToken_IsReportedUnderItsKey_WithoutEchoingIt(string token)
    {
        var problem = Assert.Single(Problems(("Etl:Http:ControlToken", token)));

        Assert.StartsWith("Etl:Http:ControlToken:", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(token, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpSettings_ToString_DoesNotShowTheToken()
    {
        Assert.DoesNotContain("s3cret", new HttpSettings { ControlToken = "s3cret-0123456789" }.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("5 min", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("00:01:30", 90_000)]
    [InlineData("250", 250)]
    public void TryParseDuration_FlinkStyle_Parses(string text, long expectedMs)
    {
        Assert.True(SettingParsers.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten seconds")]
    [InlineData("1.5ms")]
    [InlineData("5 fortnights")]
    public void TryParseDuration_Nonsense_Fails(string text)
    {
        Assert.False(SettingParsers.TryParseDuration(text, out _));
    }

    [Fact]
    public void Read_NativeLibrary_DefaultsToTheBundledBuild_AndNamesTheKeyWhenBad()
    {
        Assert.Equal(Etl.Connectors.Kafka.KafkaNativeLibraryKind.Bundled, Read().Kafka.NativeLibrary.Kind);
        Assert.Equal(Etl.Connectors.Kafka.KafkaNativeLibraryKind.System, Read(("Etl:Kafka:NativeLibrary", "system")).Kafka.NativeLibrary.Kind);

        var problem = Assert.Single(Problems(("Etl:Kafka:NativeLibrary", "librdkafka.so")));
        Assert.StartsWith("Etl:Kafka:NativeLibrary: 'librdkafka.so' is not bundled, system or an absolute path", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OffsetOutOfRange_DefaultsToFail_AndAutoOffsetResetIsOwnedByTheSource()
    {
        Assert.Equal(Etl.Connectors.Kafka.KafkaOffsetOutOfRange.Fail, Read().Kafka.OffsetOutOfRange);
        Assert.Equal(Etl.Connectors.Kafka.KafkaOffsetOutOfRange.ResetToEarliest, Read(("Etl:Kafka:OffsetOutOfRange", "reset-to-earliest")).Kafka.OffsetOutOfRange);

        var problem = Assert.Single(Problems(("Etl:Kafka:Consumer:auto.offset.reset", "earliest")));
        // The Kafka source's own rule (KafkaSourceOptions.Validate), reported under the settings' key.
        Assert.StartsWith("Etl:Kafka:Consumer: must not set 'auto.offset.reset': the source owns it", problem, StringComparison.Ordinal);
    }
}
