using Etl.Connectors.Kafka;
using Etl.Connectors.Postgres;
using Etl.Hosting;
using Etl.Pipeline.Graph;
using NpgsqlTypes;

namespace Etl.Samples.PaymentsLoad;

/// <summary>
/// The payments load: JSON payments from a Kafka topic → parse and validate (a bad record becomes a dead letter with
/// the reason, in the same transaction as the rows around it) → keep captured payments → normalise (upper-case ISO
/// currency, amount in minor units) → INSERT rows through the two-phase-commit PostgreSQL sink. Stateless: the only
/// state in a checkpoint is the source's offsets and the sink's pending transactions, and that is what makes each
/// valid payment a row exactly once (Kafka Connect's JDBC sink in insert mode writes a replayed record again).
/// </summary>
internal static class PaymentsLoadJob
{
    public const string DefaultName = "payments-load";
    public const string SinkUid = "payments-sink";

    /// <summary>The job definition the host runs: reads the settings and returns the graph and what the host needs around it.</summary>
    public static JobPlan Define(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = PaymentsLoadSettings.Read(context.Settings);
        var payments = new KafkaSourceBuilder<string>()
            .BootstrapServers(settings.BootstrapServers)
            .Topics(settings.Topic)
            .Deserializer(new Utf8StringDeserializer())
            .Bounded(context.StopAtEnd);
        var rows = new PostgresSinkBuilder<PaymentRow>(settings.ConnectionString, settings.Table)
            .Column("payment_id", NpgsqlDbType.Text, r => r.PaymentId)
            .Column("account", NpgsqlDbType.Text, r => r.Account)
            .Column("amount_minor", NpgsqlDbType.Bigint, r => r.AmountMinor)
            .Column("currency", NpgsqlDbType.Text, r => r.Currency)
            .TimestampColumn("paid_at", r => r.PaidAt)
            .Insert()
            .Options(o => o with { Schema = settings.SinkSchema });

        // The libraries check their own options; the host reports each problem under its key (exit code 2).
        context.Settings.Check(
            "Etl:Kafka", () => payments.BuildOptions(context.JobName),
            ("KafkaSourceOptions.BootstrapServers", "Etl:Kafka:BootstrapServers"), ("KafkaSourceOptions.Topics", "Etl:Kafka:Topic"));
        context.Settings.Check(
            "Etl:Postgres", () => rows.BuildOptions(context.JobName, SinkUid),
            ("PostgresSinkOptions.ConnectionString", "Etl:Postgres:ConnectionString"), ("PostgresSinkOptions.Table.Table", "Etl:Postgres:Table"),
            ("PostgresSinkOptions.Schema", "Etl:Postgres:SinkSchema"), ("PostgresSinkOptions.JobName", "Etl:JobName"));
        if (context.Settings.Problems.Count > 0)
        {
            throw new ArgumentException("The payments load's settings are invalid.", nameof(context));
        }

        var job = new JobBuilder();
        job.AddSource("kafka-payments", payments.Create, context.Parallelism)
            .Parse("parse", Payment.Parse)
            .Filter("captured", p => p.Status == PaymentStatus.Captured)
            .Map("normalise", PaymentRow.From)
            .SinkTo(SinkUid, rows.Create);

        return new JobPlan(job.Build(), settings.ConnectionString)
        {
            CommittedEpochs = new PostgresCommittedEpochs(settings.ConnectionString, settings.SinkSchema),
            PrepareAsync = ct => PaymentsTable.EnsureAsync(settings.ConnectionString, settings.Table, ct),
            Description = $"{settings.Topic} -> {settings.Table}",
        };
    }
}
