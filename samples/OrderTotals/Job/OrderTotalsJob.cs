using Etl.Connectors.Kafka;
using Etl.Connectors.Postgres;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Faults;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Worker.Configuration;
using Etl.Worker.Orders;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;

namespace Etl.Worker.Job;

/// <summary>
/// The order-total job: Kafka orders (JSON; bad records become dead letters) → key by customer → event-time
/// window sum and count → upsert into the totals table through the 2PC PostgreSQL sink, dead letters into
/// the sink's dead-letter table in the same transactions.
/// </summary>
internal static class OrderTotalsJob
{
    public const string SourceUid = "kafka-orders";
    public const string WindowUid = "order-windows";
    public const string SinkUid = "order-totals-sink";

    /// <param name="wrapSource">Benchmarks only: wraps each source subtask (e.g. to time its snapshots); null in the worker.</param>
    /// <param name="wrapSink">Benchmarks only: wraps each sink subtask (e.g. to time its writes); null in the worker.</param>
    public static JobGraph Build(
        WorkerOptions options, ILoggerFactory loggerFactory, IFaultInjector faults, JobReadiness readiness, FatalFailures fatal,
        Func<ISource<Order>, ISource<Order>>? wrapSource = null,
        Func<ISink<WindowResult<string, OrderTotal>>, ISink<WindowResult<string, OrderTotal>>>? wrapSink = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new JobBuilder();
        var kafka = SourceOptions(options);
        var orders = builder.AddSource<Order>(SourceUid, _ => wrapSource is null ? CreateSource(options, kafka) : wrapSource(CreateSource(options, kafka)), options.Parallelism);
        var totals = orders
            .KeyBy(o => o.CustomerId, StableHash.Of)
            .Process<WindowResult<string, OrderTotal>>(WindowUid, _ => WindowOperator(options.Window), options.Parallelism);
        var sinkOptions = SinkOptions(options);
        totals.SinkTo(
            SinkUid,
            info =>
            {
                var sink = new InstrumentedSink<WindowResult<string, OrderTotal>>(PostgresSink.Create(sinkOptions, loggerFactory), faults, readiness, fatal, info.Attempt);
                return wrapSink is null ? sink : wrapSink(sink);
            },
            options.Parallelism);
        return builder.Build();
    }

    public static JobOptions RuntimeOptions(WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JobOptions(options.JobName)
        {
            MaxParallelism = options.MaxParallelism,
            RestoreFrom = options.FromCheckpoint.Length > 0 ? options.FromCheckpoint : null,
            AllowNonRestoredState = options.AllowNonRestoredState,
            StartFresh = options.StartFresh,
            Checkpointing = new CheckpointingOptions
            {
                Mode = options.Checkpoints.Mode == DeliveryGuarantee.ExactlyOnce ? CheckpointingMode.ExactlyOnce : CheckpointingMode.AtLeastOnce,
                Interval = options.Checkpoints.Interval,
                Timeout = options.Checkpoints.Timeout,
                MinPause = options.Checkpoints.MinPause,
                TolerableFailures = options.Checkpoints.TolerableFailures,
            },
        };
    }

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

    public static KafkaSourceOptions SourceOptions(WorkerOptions options)
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

    private static ISource<Order> CreateSource(WorkerOptions options, KafkaSourceOptions kafka)
    {
        var source = new KafkaSource<Order>(kafka, new OrderDeserializer(), o => o.Timestamp);
        return options.StopAtEnd
            ? new EndBoundedSource<Order>(source, () => new KafkaOffsetProbe(kafka.BootstrapServers, kafka.GroupId, options.Kafka.Consumer))
            : source;
    }

    /// <summary>The totals table mapping: upsert by (customer, window start).</summary>
    public static PostgresSinkOptions<WindowResult<string, OrderTotal>> SinkOptions(WorkerOptions options)
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
