using Etl.Connectors.Kafka;
using Etl.Connectors.Postgres;
using Etl.Hosting;
using Etl.Pipeline;
using Etl.Pipeline.Graph;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Samples.OrderTotals.Configuration;
using Etl.Samples.OrderTotals.Orders;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;

namespace Etl.Samples.OrderTotals.Job;

/// <summary>
/// The order-total job: Kafka orders (JSON; bad records become dead letters) → key by customer → event-time
/// window sum and count → upsert into the totals table through the 2PC PostgreSQL sink, dead letters into
/// the sink's dead-letter table in the same transactions.
/// </summary>
internal static partial class OrderTotalsJob
{
    public const string DefaultName = "order-totals";
    public const string SourceUid = "kafka-orders";
    public const string WindowUid = "order-windows";
    public const string SinkUid = "order-totals-sink";

    /// <summary>The job definition the host runs: reads the job's settings and returns its graph and what the host needs around it.</summary>
    public static JobPlan Define(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = OrderTotalsSettings.Read(context.Settings, context.JobName);
        // The Kafka client is chosen and checked before anything runs: a worker on an unexpected librdkafka
        // is an installation error, reported at start, not a silent fallback.
        context.Settings.Check("Etl:Kafka:NativeLibrary", () => LoadKafkaClient(settings.Kafka.NativeLibrary));
        if (context.Settings.Problems.Count > 0)
        {
            throw new ArgumentException("The order-total job's settings are invalid.", nameof(context));
        }

        var logger = context.LoggerFactory.CreateLogger(typeof(OrderTotalsJob));
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogKafkaClient(logger, KafkaNativeLibrary.Description);
        }

        var kafka = SourceOptions(settings);
        var postgres = settings.Postgres;
        return new JobPlan(Build(settings, context.Parallelism, context.StopAtEnd, context.LoggerFactory), postgres.ConnectionString)
        {
            CommittedEpochs = new PostgresCommittedEpochs(postgres.ConnectionString, postgres.SinkSchema),
            PrepareAsync = ct => TotalsTable.EnsureAsync(postgres.ConnectionString, postgres.Table, ct),
            Monitors =
            [
                ct => new LagMonitor(
                    () => new KafkaOffsetProbe(kafka.BootstrapServers, kafka.GroupId, settings.Kafka.Consumer), settings.Kafka.Topic, TimeSpan.FromSeconds(2),
                    context.LoggerFactory.CreateLogger<LagMonitor>()).RunAsync(ct),
            ],
            Description = $"{SettingsReader.Kebab(settings.Window.Kind)} windows",
        };
    }

    /// <param name="wrapSource">Benchmarks only: wraps each source subtask (e.g. to time its snapshots); null in the worker.</param>
    /// <param name="wrapSink">Benchmarks only: wraps each sink subtask (e.g. to time its writes); null in the worker.</param>
    public static JobGraph Build(
        OrderTotalsSettings settings, int parallelism, bool stopAtEnd, ILoggerFactory loggerFactory,
        Func<ISource<Order>, ISource<Order>>? wrapSource = null,
        Func<ISink<WindowResult<string, OrderTotal>>, ISink<WindowResult<string, OrderTotal>>>? wrapSink = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new JobBuilder();
        var kafka = SourceOptions(settings);
        var orders = builder.AddSource<Order>(
            SourceUid, _ => wrapSource is null ? CreateSource(settings, kafka, stopAtEnd) : wrapSource(CreateSource(settings, kafka, stopAtEnd)), parallelism);
        var totals = orders
            .KeyBy(o => o.CustomerId, StableHash.Of)
            .Process<WindowResult<string, OrderTotal>>(WindowUid, _ => WindowOperator(settings.Window), parallelism);
        var sinkOptions = SinkOptions(settings);
        totals.SinkTo(
            SinkUid,
            _ =>
            {
                var sink = PostgresSink.Create(sinkOptions, loggerFactory);
                return wrapSink is null ? sink : wrapSink(sink);
            },
            parallelism);
        return builder.Build();
    }

    private static void LoadKafkaClient(KafkaNativeLibraryChoice choice)
    {
        try
        {
            KafkaNativeLibrary.Use(choice);
            KafkaNativeLibrary.EnsureLoaded();
        }
        catch (KafkaNativeLibraryException e)
        {
            throw new ArgumentException(e.Message, nameof(choice), e);
        }
    }

    [LoggerMessage(EventId = 220, EventName = "KafkaClientLoaded", Level = LogLevel.Information, Message = "Kafka client: {Client}")]
    private static partial void LogKafkaClient(ILogger logger, string client);

    /// <summary>One subtask of the job's window operator: per customer, the sum and count of its orders per window.</summary>
    public static IOperator<Order, WindowResult<string, OrderTotal>> WindowOperator(WindowSettings window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var windowOptions = new WindowOptions<Order>(order => OrderJson.Serialize(order)) { AllowedLateness = window.AllowedLateness };
        return WindowedAggregate.Create(Assigner(window), o => o.CustomerId, KeyFormats.Strings, new OrderTotalAggregate(), windowOptions);
    }

    public static WindowAssigner Assigner(WindowSettings window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return window.Kind switch
        {
            WindowKind.Tumbling => WindowAssigner.Tumbling(window.Size),
            WindowKind.Sliding => WindowAssigner.Sliding(window.Size, window.Slide),
            WindowKind.Session => WindowAssigner.Session(window.Gap),
            _ => throw new ArgumentOutOfRangeException(nameof(window), window.Kind, "Unknown window kind."),
        };
    }

    public static KafkaSourceOptions SourceOptions(OrderTotalsSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new KafkaSourceOptions
        {
            BootstrapServers = options.Kafka.BootstrapServers,
            Topics = [options.Kafka.Topic],
            GroupId = options.GroupId,
            ConsumerConfig = options.Kafka.Consumer,
            OffsetOutOfRange = options.Kafka.OffsetOutOfRange,
            Watermarks = new KafkaWatermarkOptions
            {
                OutOfOrderness = options.Window.OutOfOrderness,
                IdleTimeout = options.Window.IdleTimeout,
                Interval = options.Window.WatermarkInterval,
                MaxEventTimeAhead = options.Window.MaxEventTimeAhead,
            },
        };
    }

    private static ISource<Order> CreateSource(OrderTotalsSettings options, KafkaSourceOptions kafka, bool stopAtEnd)
    {
        var source = new KafkaSource<Order>(kafka, new OrderDeserializer(), o => o.Timestamp);
        return stopAtEnd
            ? new EndBoundedSource<Order>(source, () => new KafkaOffsetProbe(kafka.BootstrapServers, kafka.GroupId, options.Kafka.Consumer))
            : source;
    }

    /// <summary>The totals table mapping: upsert by (customer, window start).</summary>
    public static PostgresSinkOptions<WindowResult<string, OrderTotal>> SinkOptions(OrderTotalsSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mapping = new PostgresTableMapping<WindowResult<string, OrderTotal>>(
            options.Postgres.Table,
            [
                PostgresColumn.Of<WindowResult<string, OrderTotal>, string>("customer_id", NpgsqlDbType.Text, r => r.Key),
                PostgresColumn.Of<WindowResult<string, OrderTotal>, DateTime>("window_start", NpgsqlDbType.TimestampTz, r => Utc(r.WindowStart)),
                PostgresColumn.Of<WindowResult<string, OrderTotal>, DateTime>("window_end", NpgsqlDbType.TimestampTz, r => Utc(r.WindowEnd)),
                PostgresColumn.Of<WindowResult<string, OrderTotal>, decimal>("total", NpgsqlDbType.Numeric, r => r.Value.Total),
                PostgresColumn.Of<WindowResult<string, OrderTotal>, long>("order_count", NpgsqlDbType.Bigint, r => r.Value.Count),
            ],
            PostgresWriteMode.Upsert,
            ["customer_id", "window_start"],
            // A late order that merges sessions retracts the superseded (customer, start) rows.
            Deletes: r => r.IsRetraction);
        return new PostgresSinkOptions<WindowResult<string, OrderTotal>>(options.Postgres.ConnectionString, options.JobName, SinkUid, mapping)
        {
            BatchSize = options.Postgres.BatchSize,
            MaxHeldRows = Math.Max(1_000_000, options.Postgres.BatchSize),
            Schema = options.Postgres.SinkSchema,
        };
    }

    private static DateTime Utc(long unixMs) => DateTime.UnixEpoch.AddMilliseconds(unixMs);
}
