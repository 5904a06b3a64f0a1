using Etl.Connectors.Kafka;
using Etl.Connectors.Postgres;
using Etl.Hosting;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Windows;
using NpgsqlTypes;

/// <summary>Lines from Kafka → words → per-word counts per one-minute window → upserted into &lt;schema&gt;.word_counts.</summary>
internal static class WordCountJob
{
    public static JobPlan Define(JobContext context)
    {
        var connection = context.Settings.Text("Etl:Postgres:ConnectionString", "");
        var schema = context.Settings.Text("Etl:Postgres:SinkSchema", "etl");
        var lines = new KafkaSourceBuilder<string>()
            .BootstrapServers(context.Settings.Text("Etl:Kafka:BootstrapServers", ""))
            .Topics(context.Settings.Text("Etl:Kafka:Topic", "lines"))
            .Deserializer(new Utf8StringDeserializer())
            .WatermarkInterval(TimeSpan.FromMilliseconds(20))
            .Bounded(context.StopAtEnd);
        var counts = new PostgresSinkBuilder<WindowResult<string, long>>(connection, $"{schema}.word_counts")
            .Column("word", NpgsqlDbType.Text, r => r.Key)
            .TimestampColumn("window_start", r => r.WindowStart)
            .Column("n", NpgsqlDbType.Bigint, r => r.Value)
            .UpsertOn("word", "window_start")
            .Options(o => o with { Schema = schema });

        var job = new JobBuilder();
        job.AddSource("lines", lines.Create)
            .FlatMap("words", line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .KeyBy(word => word)
            .Window(WindowAssigner.Tumbling(TimeSpan.FromMinutes(1)))
            .Aggregate("counts", Aggregates.Count<string>())
            .SinkTo("counts-sink", counts.Create);
        return new JobPlan(job.Build(), connection) { CommittedEpochs = new PostgresCommittedEpochs(connection, schema) };
    }
}
